// Root preinstall: fail early, with the fix, when npm runs on a Node older than the repo's.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `This repository runs on Node 24 LTS; this is Node ${process.versions.node}.\n` +
      'Run ". tools/runtime/use-node24.sh" (installs Node 24 from the npm registry and puts it on PATH), then retry.\n',
  );
  process.exit(1);
}

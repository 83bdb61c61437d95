// `niemyet serve` over a site folder, on a free port of 127.0.0.1, for the browser tests
// and the preview benchmark. Node.js built-ins only, so that scripts can share it.

import { spawn } from 'node:child_process';
import readline from 'node:readline';

/**
 * Start `BIN serve --root ROOT --port 0` and wait for the line that names its address.
 * Returns { origin, url(path), startMs, lines, errors, waitForLine(regexp), stop() }:
 * `lines` and `errors` collect what it prints on stdout and stderr, `startMs` is the time
 * from the start of the process to its address line, and stop() ends it with Ctrl-C
 * (SIGINT), then SIGKILL if it has not stopped within 5 s.
 */
export async function startPreview(bin, root, { timeout = 120_000 } = {}) {
  const started = performance.now();
  const child = spawn(bin, ['serve', '--root', root, '--port', '0', '--lang', 'en'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const errors = [];
  const waiters = new Set();
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  readline.createInterface({ input: child.stderr }).on('line', (line) => errors.push(line));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) waiter(line);
  });

  /** The first line printed from now on that matches `pattern`. */
  function waitForLine(pattern, ms = timeout) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`niemyet serve did not print ${pattern} within ${ms} ms:\n${errors.join('\n')}`));
      }, ms);
      const check = (line) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(line);
      };
      waiters.add(check);
    });
  }

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    const status = await exited;
    clearTimeout(timer);
    return status;
  }

  const serving = waitForLine(/^Serving /);
  const ended = exited.then(({ code }) => {
    throw new Error(`niemyet serve exited with status ${code}:\n${errors.join('\n')}`);
  });
  let line;
  try {
    line = await Promise.race([serving, ended]);
  } catch (err) {
    await stop();
    throw err;
  }
  const origin = line.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
  return {
    origin,
    url: (p = '/') => origin + p,
    startMs: performance.now() - started,
    lines,
    errors,
    waitForLine,
    stop,
  };
}

// How every script of this project starts Debian's chromium: headless, as root, with a
// closed network (no background requests). No dependencies, so benchmarks share it too.

/** Flags for chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

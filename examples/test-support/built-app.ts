// Runs an example the way its README says (`node dist/main.js`), for the tests of the built output.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * Starts `node <entry>` on a free port (PORT=0, no RC_* variables: the embedded mock server), waits
 * for the `Open <url>/` line it prints, runs `use(url)`, and stops the process whatever happens.
 */
export async function withBuiltApp<T>(entry: string, use: (url: string) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH, PORT: '0' } });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const match = /Open (http:\/\/\S+)\//.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    return await use(url);
  } finally {
    // Waiting for 'exit' from a process that has already exited would hang the test.
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
}

/**
 * DynamoDB Local — AWS's own emulator, started from the jar that the amplify-dynamodb-simulator
 * package ships (its launcher is not used) — and the table, created from the same definition as
 * the CDK stack's.
 *
 * Closed to the outside: DynamoDB Local has no host option and listens on every interface (its
 * Jetty server is built with a port only), so anyone on the network could read the table. A
 * loopback-only proxy in front would not help (the private port stays open), and there is no
 * system property for Jetty's bind address. So it is started through
 * `dynamodb/LoopbackDynamoDbLocal.java`, run by `java` as a single source file (JEP 330, no build
 * step): it builds the server as the jar's own main does, binds its connector to 127.0.0.1 and
 * refuses non-loopback `Host` headers (DNS rebinding) before starting it. Running a source file
 * needs the JDK's compiler module (`jdk.compiler`); with a bare JRE the jar starts as before,
 * listening on every interface, and a warning says so. In both cases `-cors` allows no real
 * origin, so a web page cannot call it cross-site.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../shared/adapters/dynamodb/table-definition.js';

/** Java must be 11 or newer; fails with what to install otherwise. */
export function requireJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const text = `${probe.stderr ?? ''}${probe.stdout ?? ''}`;
  const match = /version "(\d+)(?:\.(\d+))?/u.exec(text);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (probe.error || major < 11) {
    throw new Error(
      `DynamoDB Local needs Java 11 or newer (${probe.error ? 'no java on PATH' : `found ${major || 'an unknown version'}`}). ` +
        'Install a JRE, e.g. `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS).',
    );
  }
}

const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./dynamodb/LoopbackDynamoDbLocal.java', import.meta.url));

/** Whether `java` can run a source file (a JDK, not a bare JRE). */
function hasJavaCompiler(): boolean {
  const probe = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  return /^jdk\.compiler@/mu.test(probe.stdout ?? '');
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash would; with `dataDir`, a restart finds the data again. */
  kill(): Promise<void>;
}

/**
 * Starts DynamoDB Local on `port` (0 = free port). In memory unless `dataDir` is given, then the
 * data survives restarts. Resolves once it answers requests.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string } = {},
): Promise<DynamoDbLocal> {
  requireJava();
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  if (!existsSync(join(dir, 'DynamoDBLocal.jar')))
    throw new Error(`DynamoDB Local jar missing in ${dir}: run npm ci`);
  const port = options.port || (await freePort());
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  // `.invalid` never resolves: no web page has this origin, so no cross-site call is allowed.
  const args = [...storage, '-sharedDb', '-disableTelemetry', '-cors', 'http://nanocoach.invalid'];
  const launch = hasJavaCompiler()
    ? [
        '-cp',
        [join(dir, 'DynamoDBLocal.jar'), join(dir, 'DynamoDBLocal_lib', '*')].join(delimiter),
        LOOPBACK_LAUNCHER,
      ]
    : ['-jar', join(dir, 'DynamoDBLocal.jar')];
  if (launch[0] === '-jar') {
    process.stderr.write(
      'warning: DynamoDB Local listens on every network interface: binding it to 127.0.0.1 needs a JDK ' +
        '(the jdk.compiler module), e.g. `sudo apt-get install -y openjdk-17-jdk-headless`.\n',
    );
  }
  const child: ChildProcess = spawn(
    'java',
    [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      ...launch,
      ...args,
      '-port',
      String(port),
    ],
    // Its working directory gets a metadata file: keep it out of the checkout.
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.dataDir ?? tmpdir() },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Whatever happens to this process, the java child goes with it.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // About 2 s on an idle machine, but a JVM compiling the launcher on a loaded one can take 20 s+.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${stderr.trim()}`);
    try {
      await client.send(new DescribeTableCommand({ TableName: '__probe__' }));
      break;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') break;
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start in 120 s: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    async stop() {
      process.removeListener('exit', kill);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) kill();
      }
    },
    async kill() {
      process.removeListener('exit', kill);
      if (child.exitCode === null && child.signalCode === null) {
        kill();
        await exited;
      }
    },
  };
}

/** Creates the table from {@link tableDefinition} unless it exists. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const indexes = Object.values(tableDefinition.indexes);
  const attributes = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
  for (const index of indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
}

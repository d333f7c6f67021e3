// The server suite once more on a PostgreSQL backend store (what production users run), started and
// torn down here on a free loopback port.
import { serverSuite } from './server.suite.mjs';
import { startPostgres } from './postgres.mjs';
serverSuite('postgres', startPostgres);

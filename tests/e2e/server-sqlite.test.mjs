// The server suite on MLflow's default sqlite backend store.
import { serverSuite } from './server.suite.mjs';
serverSuite('sqlite');

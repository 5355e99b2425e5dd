// The little of the jasmine 3 package (no typings of its own) that the suite process uses.
declare module 'jasmine' {
  interface JasmineResult {
    fullName: string;
    status?: string;
    failedExpectations: { message: string }[];
  }
  interface Reporter {
    specDone?(result: JasmineResult): void;
    suiteDone?(result: JasmineResult): void;
  }
  interface Env {
    addReporter(reporter: Reporter): void;
    configure(options: { random?: boolean; stopSpecOnExpectationFailure?: boolean }): void;
    execute(runnables: undefined, onComplete: () => void): void;
  }
  export default class Jasmine {
    env: Env;
    jasmine: { DEFAULT_TIMEOUT_INTERVAL: number };
  }
}

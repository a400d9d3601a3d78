// Failure messages and stack traces can quote case data; with encodeCommonAttributes they move
// into an encoded payload and the codec encrypts them like everything else. CommonJS because
// the SDK require()s this file by path, in the worker and inside the workflow bundle.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

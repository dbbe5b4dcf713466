export { ANSWERS_FORMAT, ANSWERS_VERSION, AnswersFormatError, type AnswersHeader } from "./AnswersFormat.js";
export { AnswersReader } from "./AnswersReader.js";
export { exportAnswers, type ExportAnswersOptions } from "./exportAnswers.js";
export { importAnswers, ImportFailedError } from "./importAnswers.js";
export { importNamespace } from "./importNamespace.js";

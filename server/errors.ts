// The one error type partner routes and dashboard procedures throw. The code
// decides the HTTP status; the message is what the caller reads.
const STATUS_BY_CODE = {
  invalid_json: 400,
  invalid_body: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
} as const;

export type HubErrorCode = keyof typeof STATUS_BY_CODE;

export class HubError extends Error {
  constructor(
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "HubError";
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

// Deepgram's error shape: {"err_code","err_msg","request_id"} with the HTTP status. Thrown anywhere below a handler
// and written once, by the handler's edge (ListenServer).
using System.Text.Json;

namespace DgTools.Server;

public sealed class ApiError(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static ApiError BadRequest(string message) => new(400, "Bad Request", message);
    public static ApiError Unauthorized() => new(401, "INVALID_AUTH", "Invalid credentials.");
    public static ApiError NotFound(string message) => new(404, "Not Found", message);
    public static ApiError Timeout(string message) => new(408, "Request Timeout", message);
    public static ApiError TooLarge(string message) => new(413, "Payload Too Large", message);
    public static ApiError UnsupportedType(string message) => new(415, "Unsupported Media Type", message);
    public static ApiError Busy(string message) => new(429, "TOO_MANY_REQUESTS", message);
    public static ApiError Unavailable(string message) => new(503, "Service Unavailable", message);

    /// <summary>Quotes in messages stay quotes (the default encoder writes \u0027).</summary>
    internal static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string ToJson(string requestId) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["err_code"] = Code,
        ["err_msg"] = Message,
        ["request_id"] = requestId,
    }, Relaxed);
}

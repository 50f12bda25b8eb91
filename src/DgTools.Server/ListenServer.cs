// The HTTP side of `dgtools serve` on Kestrel: POST /v1/listen (pre-recorded), GET /v1/listen upgraded to a WebSocket
// (live), /healthz and /metrics. Checks the API key, answers every failure with Deepgram's error JSON and its status,
// writes one access-log line per request, and on SIGTERM (or StopAsync) refuses new requests with 503 while those in
// flight finish.
using System.Diagnostics;
using System.Net;
using DgTools.Decoding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DgTools.Server;

public sealed class ListenServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedModels _models;
    private readonly RecognitionQueue _queue;
    private readonly ServeOptions _options;
    private readonly TextWriter _log;
    private readonly string _tempDirectory;
    private volatile bool _draining;

    public ServerMetrics Metrics { get; } = new();

    private ListenServer(ServeOptions options, ServedModels models, TextWriter log)
    {
        if (!options.RequiresKeys && !IsLoopback(options.Host))
            throw new ConfigError($"without API keys dgtools serve binds only to loopback, not '{options.Host}': add keys = [\"...\"] to the [server] table of dgtools.toml");
        _options = options;
        _models = models;
        _log = TextWriter.Synchronized(log);
        _queue = new RecognitionQueue(options.Settings.QueueLimit, options.MaxBatchUtterances, Metrics);
        _tempDirectory = Directory.CreateTempSubdirectory("dgtools-serve-").FullName;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(ParseHost(options.Host), options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            // A client that sends its body slower than this, after a grace period, is cut off (408).
            k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(5));
            k.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            k.Limits.MaxConcurrentConnections = 1024;
            k.AddServerHeader = false;
        });
        _app = builder.Build();
        _app.Lifetime.ApplicationStopping.Register(() => _draining = true);
        _app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        _app.Use(Handle);
    }

    /// <summary>Loads nothing itself: the models come loaded. Starts listening and returns once bound.</summary>
    public static async Task<ListenServer> StartAsync(ServeOptions options, ServedModels models, TextWriter log, CancellationToken cancel = default)
    {
        var server = new ListenServer(options, models, log);
        await server._app.StartAsync(cancel);
        return server;
    }

    /// <summary>The bound addresses (http://127.0.0.1:PORT).</summary>
    public IReadOnlyList<string> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();

    public ServedModels Models => _models;

    /// <summary>Returns when the host stops (SIGTERM, SIGINT or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Refuses new requests and lets those in flight finish (up to the shutdown timeout).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _queue.Dispose();
        try { Directory.Delete(_tempDirectory, recursive: true); } catch (IOException) { }
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private static IPAddress ParseHost(string host) =>
        host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var ip) ? ip
        : throw new ConfigError($"--host must be an IP address or localhost, not '{host}'");

    private async Task Handle(HttpContext context, RequestDelegate _)
    {
        var watch = Stopwatch.StartNew();
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["dg-request-id"] = requestId;
        var path = context.Request.Path.Value ?? "";
        string endpoint = path switch
        {
            "/v1/listen" => context.WebSockets.IsWebSocketRequest ? "live" : "listen",
            "/healthz" => "healthz",
            "/metrics" => "metrics",
            _ => "other",
        };
        double audioSeconds = 0;
        string detail = "";
        bool counted = endpoint is "listen" or "live";
        if (counted) Interlocked.Increment(ref Metrics.RequestsInFlight);
        try
        {
            switch (endpoint)
            {
                case "healthz":
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(_draining ? "{\"status\":\"stopping\"}" : "{\"status\":\"ok\"}");
                    if (_draining) context.Response.StatusCode = 503;
                    break;
                case "metrics":
                    context.Response.ContentType = "text/plain; version=0.0.4";
                    await context.Response.WriteAsync(Metrics.ToPrometheus());
                    break;
                case "other":
                    throw ApiError.NotFound($"No endpoint {context.Request.Method} {path}; this server has /v1/listen, /healthz and /metrics.");
                default:
                    if (_draining) throw ApiError.Unavailable("The server is shutting down.");
                    CheckKey(context.Request);
                    if (endpoint == "live") (audioSeconds, detail) = await Live(context, requestId);
                    else if (HttpMethods.IsPost(context.Request.Method)) (audioSeconds, detail) = await Prerecorded(context, requestId);
                    else throw new ApiError(405, "Method Not Allowed", "Use POST /v1/listen with the audio as the body, or a WebSocket GET for live audio.");
                    break;
            }
        }
        catch (ApiError e) when (!context.Response.HasStarted)
        {
            await WriteError(context, e, requestId);
            detail = e.Message;
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            await WriteError(context, new ApiError(500, "INTERNAL_ERROR", $"{e.GetType().Name}: {e.Message.Split('\n')[0]}"), requestId);
            detail = e.ToString().Split('\n')[0];
        }
        catch (OperationCanceledException) { detail = "client went away"; }
        finally
        {
            int status = endpoint == "live" && context.Response.StatusCode == 101 ? 101 : context.Response.StatusCode;
            if (counted)
            {
                Metrics.Request(endpoint, status, watch.Elapsed.TotalSeconds, audioSeconds);
                Interlocked.Decrement(ref Metrics.RequestsInFlight);
            }
            _log.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {context.Connection.RemoteIpAddress} \"{context.Request.Method} {path}{context.Request.QueryString}\" " +
                $"{status} {watch.Elapsed.TotalMilliseconds:0}ms audio={audioSeconds:0.###}s request_id={requestId}" + (detail.Length > 0 ? $" {detail}" : ""));
        }
    }

    private static async Task WriteError(HttpContext context, ApiError error, string requestId)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        // The body may be unread (a refusal before reading it): the connection cannot carry another request.
        if (HttpMethods.IsPost(context.Request.Method)) context.Response.Headers.Connection = "close";
        if (error.Status == 401) context.Response.Headers.WWWAuthenticate = "Token";
        await context.Response.WriteAsync(error.ToJson(requestId));
    }

    /// <summary>"Authorization: Token KEY" (or Bearer) as Deepgram's SDKs send it; a browser's WebSocket sends the
    /// key as the subprotocol pair "token, KEY".</summary>
    private void CheckKey(HttpRequest request)
    {
        if (!_options.RequiresKeys) return;
        string? key = null;
        var auth = request.Headers.Authorization.ToString();
        foreach (var scheme in new[] { "Token ", "Bearer " })
            if (auth.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) key = auth[scheme.Length..].Trim();
        if (key is null)
        {
            var protocols = request.Headers.SecWebSocketProtocol.ToString().Split(',', StringSplitOptions.TrimEntries);
            if (protocols.Length == 2 && protocols[0] is "token" or "bearer") key = protocols[1];
        }
        if (key is null || !_options.Settings.Keys.Any(k => FixedTimeEquals(k, key))) throw ApiError.Unauthorized();
    }

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

    /// <summary>The request's model and keywords (404 unknown model, 400 bad keywords).</summary>
    private (ServedModel, KeywordBoost?, string) ModelAndKeywords(IQueryCollection query)
    {
        var model = _models.Choose(query["model"].FirstOrDefault(), query["language"].FirstOrDefault());
        var specs = query["keywords"].Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!).ToList();
        try { return (model, model.Recognizer.Keywords(specs), string.Join('\n', specs)); }
        catch (ArgumentException e) { throw ApiError.BadRequest(e.Message); }
    }

    private async Task<(double, string)> Prerecorded(HttpContext context, string requestId)
    {
        var (model, keywords, keywordKey) = ModelAndKeywords(context.Request.Query);
        var utteranceSplit = UtteranceSplit(context.Request.Query);
        var audio = await AudioRequest.ReadAsync(context.Request, model.Recognizer.SampleRate, _options, _tempDirectory, context.RequestAborted);
        var transcript = await _queue.Recognize(model, audio.Samples, keywords, keywordKey);
        var metadata = new TranscriptMetadata(requestId, audio.Sha256, DateTimeOffset.UtcNow, [model.Info]);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(TranscriptJson.Write(transcript, metadata, utteranceSplit: utteranceSplit), context.RequestAborted);
        return (transcript.Duration, "");
    }

    /// <summary>utterances=true: the pause that splits them (utt_split, seconds; Deepgram's default 0.8); else null.</summary>
    private static double? UtteranceSplit(IQueryCollection query)
    {
        if (!string.Equals(query["utterances"], "true", StringComparison.OrdinalIgnoreCase)) return null;
        var text = query["utt_split"].ToString();
        if (text.Length == 0) return TranscriptJson.DefaultUtteranceSplit;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var split) &&
            double.IsFinite(split) && split >= 0 && split <= 60
            ? split
            : throw ApiError.BadRequest($"utt_split must be seconds from 0 to 60, not '{text}'.");
    }

    private async Task<(double, string)> Live(HttpContext context, string requestId)
    {
        var query = context.Request.Query;
        var (model, keywords, keywordKey) = ModelAndKeywords(query);
        var raw = RawAudioFormat.FromQuery(query);
        bool interim = string.Equals(query["interim_results"], "true", StringComparison.OrdinalIgnoreCase);
        double? endpoint = query["endpointing"].ToString() switch
        {
            "" => null,
            "false" => 0,
            var ms when int.TryParse(ms, out var n) && n >= 0 && n <= 10_000 => n < 100 ? 0.1 : n / 1000.0,
            var other => throw ApiError.BadRequest($"endpointing must be false or milliseconds (0 to 10000), not '{other}'."),
        };
        // A browser that sent the key as subprotocols must get one of them back.
        var protocols = context.WebSockets.WebSocketRequestedProtocols;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocols.Count == 2 ? protocols[0] : null);
        Interlocked.Increment(ref Metrics.LiveSessions);
        try
        {
            var session = new LiveSession(socket, model, _queue, _options, keywords, keywordKey, requestId, raw, interim, endpoint);
            var outcome = await session.RunAsync(_app.Lifetime.ApplicationStopping);
            // A client that stopped reading (or vanished) still holds the connection and the kernel's buffers of
            // unsent results: reset it, so nothing of the session outlives it.
            if (outcome.Reset) context.Abort();
            return (outcome.AudioSeconds, $"close={outcome.CloseStatus} {outcome.Reason}".TrimEnd());
        }
        finally
        {
            Interlocked.Decrement(ref Metrics.LiveSessions);
        }
    }
}

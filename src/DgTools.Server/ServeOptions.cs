// Everything `dgtools serve` is configured with, as one immutable record: the CLI builds it from its flags and the
// [server] and [runtime] tables of dgtools.toml, and the server only reads it.
using DgTools.Configuration;

namespace DgTools.Server;

public sealed record ServeOptions
{
    /// <summary>The address to bind; without API keys only a loopback address is allowed.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>0 picks a free port (tests); the bound address is reported through <see cref="ListenServer.Addresses"/>.</summary>
    public int Port { get; init; } = 8080;
    public ServerSettings Settings { get; init; } = new();
    /// <summary>Most utterances the queue hands the network in one batch.</summary>
    public int MaxBatchUtterances { get; init; } = 16;
    /// <summary>Largest single WebSocket message (a frame of audio or a control message), in bytes.</summary>
    public int MaxFrameBytes { get; init; } = 1 << 20;
    /// <summary>A live session with no message for this long is closed (Deepgram closes after 10 s).</summary>
    public TimeSpan LiveIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A live client that takes longer than this to accept one result message is disconnected ([server]
    /// send_timeout_seconds).</summary>
    public TimeSpan SendTimeout => TimeSpan.FromSeconds(Settings.SendTimeoutSeconds);
    /// <summary>How long in-flight requests may take to finish after SIGTERM.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Live streaming: how results are cut and how much context each side of a cut is recognised with.</summary>
    public LiveChunking Chunking { get; init; } = new();

    public long MaxRequestBytes => (long)Settings.MaxRequestMegabytes * 1024 * 1024;

    public bool RequiresKeys => Settings.Keys.Count > 0;
}

/// <param name="SegmentSeconds">A final result is cut after about this much audio, at its quietest moment.</param>
/// <param name="CutSearchSeconds">How far before the segment end the quietest place to cut is looked for.</param>
/// <param name="LeftContextSeconds">Audio before an interim result's stretch recognised with it; and, as offline, the
/// context before a piece.</param>
/// <param name="RightContextSeconds">Audio after a segment's cut recognised with it: a segment (also one ended by a
/// pause) is final only once this much more has arrived.</param>
/// <param name="PieceSeconds">A final result is recognised with all the audio since the start of the piece of this
/// length it falls in (less LeftContextSeconds), as `transcribe` cuts a long recording into pieces
/// (<see cref="DgTools.Decoding.SpeechRecognizer.ChunkSeconds"/>): so each word sees the left context it has offline.
/// 0: only LeftContextSeconds.</param>
/// <param name="InterimSeconds">New audio between two interim results (with interim_results=true).</param>
/// <param name="EndpointSeconds">A pause this long after speech ends a segment in the middle of the pause (0: off;
/// the request's `endpointing` in milliseconds, or false, overrides it).</param>
public sealed record LiveChunking(
    double SegmentSeconds = 6.0, double CutSearchSeconds = 2.0, double LeftContextSeconds = 2.0,
    double RightContextSeconds = 3.0, double PieceSeconds = DgTools.Decoding.SpeechRecognizer.ChunkSeconds,
    double InterimSeconds = 1.0, double EndpointSeconds = 0.5);

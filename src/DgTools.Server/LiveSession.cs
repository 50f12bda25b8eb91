// One live (WebSocket) session of Deepgram's streaming API. Audio arrives as binary messages (linear16 described by
// the query, or a WAV stream whose header says what follows); control messages are JSON text (KeepAlive, Finalize,
// CloseStream).
//
// Final results converge to the offline transcript of the same audio: a segment (ended by a pause, or cut at the
// quietest moment after about SegmentSeconds) is recognised, once RightContextSeconds more audio have arrived, together
// with all the audio since the start of the offline piece it falls in (`transcribe` runs a long recording in pieces
// of PieceSeconds with LeftContextSeconds before each) and the right context after it; only the words whose middle
// lies inside the segment are reported. So each word is recognised with the left context it has offline and some of
// its right context; the model's output depends on both. Interim results (interim_results=true) recognise everything
// since the last final with LeftContextSeconds before it, every InterimSeconds of new audio; a session that falls
// behind (audio already waiting) skips all but a segment's first, up to 3 s of audio. At the end: the rest as a final result, then one
// Metadata message.
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DgTools.Audio;
using DgTools.Decoding;

namespace DgTools.Server;

public sealed class LiveSession
{
    /// <summary>How a close ended, for the access log.</summary>
    /// <param name="Reset">The connection must be reset rather than closed (the client stopped reading: unsent
    /// results still fill the buffers on both sides).</param>
    public sealed record Outcome(int CloseStatus, string Reason, double AudioSeconds, bool Reset = false);

    private readonly WebSocket _socket;
    private readonly ServedModel _model;
    private readonly RecognitionQueue _queue;
    private readonly ServeOptions _options;
    private readonly KeywordBoost? _keywords;
    private readonly string _keywordKey;
    private readonly string _requestId;
    private readonly bool _interim;
    private readonly double _endpointSeconds;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly DateTimeOffset _created = DateTimeOffset.UtcNow;

    private WavReader.Format? _format;
    private readonly List<byte> _header = [];   // a WAV stream's header bytes until it is complete
    private byte[] _partialFrame = [];          // bytes of an audio frame split across messages
    private float[] _audio = new float[1 << 16]; // mono at the stream's rate, from sample _offset on
    private int _length;                        // samples held in _audio
    private long _offset;                       // stream sample index of _audio[0]
    private long _committed;                    // stream sample index up to which final results were sent
    private long? _endpoint;                    // a cut in a pause, final once its right context has arrived
    private long _lastInterim;
    // The receive in flight. A WebSocket operation that is cancelled aborts the socket, so the idle timeout and the
    // server's shutdown race this task instead of cancelling it, and the close handshake can still read the client's
    // close frame afterwards.
    private readonly byte[] _receiveBuffer = new byte[64 * 1024];
    private Task<WebSocketReceiveResult>? _pending;

    public LiveSession(WebSocket socket, ServedModel model, RecognitionQueue queue, ServeOptions options,
        KeywordBoost? keywords, string keywordKey, string requestId, RawAudioFormat? raw, bool interim, double? endpointSeconds = null)
    {
        _endpointSeconds = endpointSeconds ?? options.Chunking.EndpointSeconds;
        _socket = socket;
        _model = model;
        _queue = queue;
        _options = options;
        _keywords = keywords;
        _keywordKey = keywordKey;
        _requestId = requestId;
        _interim = interim;
        if (raw is not null) _format = new WavReader.Format(1, raw.Channels, raw.SampleRate, 16);
    }

    private long Total => _offset + _length;
    private int Rate => _format!.SampleRate;
    private double Seconds(long samples) => samples / (double)Rate;

    public async Task<Outcome> RunAsync(CancellationToken stopping)
    {
        try
        {
            await ReceiveLoop(stopping);
            await Finish(fromFinalize: false);
            await Send(LiveMessages.Metadata(_requestId, Convert.ToHexStringLower(_hash.GetHashAndReset()), _created,
                _format is null ? 0 : Seconds(Total), _model.Info));
            await Close(WebSocketCloseStatus.NormalClosure, "");
            return new Outcome(1000, "closed", _format is null ? 0 : Seconds(Total));
        }
        catch (LiveError e)
        {
            try
            {
                await Send(LiveMessages.Error(e.Error, _requestId));
                await Close(e.CloseStatus, e.Error.Message.Length > 100 ? e.Error.Code : e.Error.Message);
            }
            catch (Exception) { _socket.Abort(); }
            return new Outcome((int)e.CloseStatus, e.Error.Message, _format is null ? 0 : Seconds(Total));
        }
        catch (ApiError e)
        {
            // The queue is full (429) or the server is stopping (503): say so, and ask the client to come back.
            try
            {
                await Send(LiveMessages.Error(e, _requestId));
                await Close(WebSocketCloseStatus.EndpointUnavailable, e.Code);
            }
            catch (Exception) { _socket.Abort(); }
            return new Outcome((int)WebSocketCloseStatus.EndpointUnavailable, e.Message, _format is null ? 0 : Seconds(Total));
        }
        catch (SendTimedOut)
        {
            // The client stopped reading what we send: it cannot be told, so the connection is dropped.
            _socket.Abort();
            return new Outcome(1006, $"send timeout: the client read no result for {_options.SendTimeout.TotalSeconds:0.###} s",
                _format is null ? 0 : Seconds(Total), Reset: true);
        }
        catch (WebSocketException e) when (e.WebSocketErrorCode == WebSocketError.Faulted && e.InnerException is null)
        {
            // A frame that breaks the WebSocket protocol (a reserved opcode, a control frame over 125 bytes, ...): the
            // socket has sent its close (1002) itself and cannot carry an Error message.
            return new Outcome((int)WebSocketCloseStatus.ProtocolError, $"protocol error: {e.Message}", _format is null ? 0 : Seconds(Total));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away: nothing to answer.
            _socket.Abort();
            return new Outcome(1006, $"connection lost: {e.Message}", _format is null ? 0 : Seconds(Total));
        }
        catch (Exception e)
        {
            // A bug, not the client's doing: tell the client, keep the server up, and log what happened.
            var error = new ApiError(500, "INTERNAL_ERROR", $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
            try
            {
                await Send(LiveMessages.Error(error, _requestId));
                await Close(WebSocketCloseStatus.InternalServerError, "INTERNAL_ERROR");
            }
            catch (Exception) { _socket.Abort(); }
            return new Outcome((int)WebSocketCloseStatus.InternalServerError, e.ToString().Split('\n')[0] + " " + e.StackTrace?.Split('\n')[0],
                _format is null ? 0 : Seconds(Total));
        }
    }

    private async Task ReceiveLoop(CancellationToken stopping)
    {
        var message = new MemoryStream();
        while (!stopping.IsCancellationRequested)
        {
            message.SetLength(0);
            WebSocketReceiveResult? result;
            do
            {
                result = await ReceiveOrIdle(stopping);
                if (result is null || result.MessageType == WebSocketMessageType.Close) return;
                message.Write(_receiveBuffer, 0, result.Count);
                if (message.Length > _options.MaxFrameBytes)
                    throw new LiveError(ApiError.TooLarge($"A message is over {_options.MaxFrameBytes} bytes, the most this server takes in one."),
                        WebSocketCloseStatus.MessageTooBig);
            } while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Text)
            {
                switch (ControlType(message.ToArray()))
                {
                    case "KeepAlive": break;
                    case "CloseStream": return;
                    case "Finalize": await Finish(fromFinalize: true); break;
                    case var other:
                        throw new LiveError(ApiError.BadRequest($"Unknown control message type '{other}'; expected KeepAlive, Finalize or CloseStream."),
                            WebSocketCloseStatus.InvalidPayloadData);
                }
                continue;
            }
            if (message.Length == 0) return; // Deepgram's old way to end a stream: an empty binary message
            AddAudio(message.GetBuffer().AsSpan(0, (int)message.Length));
            if (_format is null) continue; // a WAV header still arriving
            if (Seconds(Total) > _options.Settings.MaxAudioSeconds)
                throw new LiveError(ApiError.TooLarge($"The stream is over {_options.Settings.MaxAudioSeconds} s, the most this server takes."),
                    WebSocketCloseStatus.PolicyViolation);
            await RecognizeDue();
        }
    }

    /// <summary>The next frame; null when the server is stopping (the session then ends normally).</summary>
    private async Task<WebSocketReceiveResult?> ReceiveOrIdle(CancellationToken stopping)
    {
        _pending ??= _socket.ReceiveAsync(new ArraySegment<byte>(_receiveBuffer), CancellationToken.None);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var timer = Task.Delay(_options.LiveIdleTimeout, idle.Token);
        var done = await Task.WhenAny(_pending, timer);
        idle.Cancel();
        if (done != _pending)
        {
            if (stopping.IsCancellationRequested) return null;
            throw new LiveError(new ApiError(408, "NET-0001",
                $"No audio or KeepAlive for {_options.LiveIdleTimeout.TotalSeconds:0} s; closing."), WebSocketCloseStatus.PolicyViolation);
        }
        var result = await _pending;
        _pending = null;
        return result;
    }

    private static string ControlType(byte[] text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("type", out var t) &&
                t.ValueKind == JsonValueKind.String)
                return t.GetString()!;
        }
        catch (JsonException) { }
        var shown = Encoding.UTF8.GetString(text, 0, Math.Min(text.Length, 60));
        throw new LiveError(ApiError.BadRequest($"A text message must be JSON with a \"type\" (KeepAlive, Finalize, CloseStream), not '{shown}'."),
            WebSocketCloseStatus.InvalidPayloadData);
    }

    private void AddAudio(ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(bytes);
        if (_format is null)
        {
            // No encoding given: the stream must be a container; WAV is the one read live.
            _header.AddRange(bytes.ToArray());
            var head = _header.ToArray();
            if (head.Length >= 12 && !WavReader.LooksLikeWav(head))
                throw new LiveError(ApiError.BadRequest("Live audio must be linear16 (encoding=linear16&sample_rate=N) or a WAV stream."),
                    WebSocketCloseStatus.InvalidPayloadData);
            try
            {
                var (format, dataOffset, _) = WavReader.ReadHeader(head, long.MaxValue);
                _format = format;
                bytes = head.AsSpan((int)dataOffset);
            }
            catch (InvalidDataException) when (head.Length < 4096) { return; } // the header is not complete yet
            catch (InvalidDataException e)
            {
                throw new LiveError(ApiError.BadRequest($"The WAV header cannot be read: {e.Message}."), WebSocketCloseStatus.InvalidPayloadData);
            }
        }
        int block = _format.BlockAlign;
        var joined = _partialFrame.Length == 0 ? bytes : [.. _partialFrame, .. bytes];
        int frames = joined.Length / block;
        EnsureRoom(frames);
        WavReader.ToMono(joined[..(frames * block)], _format, _audio.AsSpan(_length, frames));
        foreach (var s in _audio.AsSpan(_length, frames))
            if (!float.IsFinite(s)) throw new LiveError(ApiError.BadRequest("The audio has NaN or infinite samples."), WebSocketCloseStatus.InvalidPayloadData);
        _length += frames;
        _partialFrame = joined[(frames * block)..].ToArray();
    }

    /// <summary>Where the audio recognised with a stretch starting at <paramref name="start"/> begins: the start of
    /// its offline piece less the left context for a final result, the left context alone for an interim one.</summary>
    private long ContextStart(long start, bool final)
    {
        var c = _options.Chunking;
        long left = (long)(c.LeftContextSeconds * Rate);
        if (!final || c.PieceSeconds <= 0) return Math.Max(0, start - left);
        long piece = (long)(c.PieceSeconds * Rate);
        return Math.Max(0, Math.Min(start - left, start / piece * piece - left));
    }

    /// <summary>Room for more samples; audio before the context of the next final result is dropped.</summary>
    private void EnsureRoom(int more)
    {
        long keepFrom = Math.Max(_offset, ContextStart(_committed, final: true));
        int drop = (int)(keepFrom - _offset);
        if (drop > 0)
        {
            Array.Copy(_audio, drop, _audio, 0, _length - drop);
            _length -= drop;
            _offset += drop;
        }
        if (_length + more > _audio.Length) Array.Resize(ref _audio, Math.Max(_audio.Length * 2, _length + more));
    }

    private async Task RecognizeDue()
    {
        var c = _options.Chunking;
        // Endpointing: speech followed by a pause of EndpointSeconds ends the segment in the middle of the pause, at
        // once (the pause is its right context): a final result per utterance, and speech_final as Deepgram means it.
        long pause = (long)(_endpointSeconds * Rate), right = (long)(c.RightContextSeconds * Rate);
        if (_endpoint is null && pause > 0 && Total - _committed > pause + Rate / 4 && IsPause(Total - pause, Total) &&
            HasSpeech(_committed, Total - pause))
            _endpoint = Total - pause / 2;
        if (_endpoint is { } end && Total >= end + right)
            await SendFinal(end, speechFinal: true, fromFinalize: false);
        while (_endpoint is null && Total - _committed >= (long)(c.SegmentSeconds * Rate) + right)
        {
            var (cut, quiet) = QuietestCut();
            await SendFinal(cut, speechFinal: quiet, fromFinalize: false);
        }
        long sinceInterim = Total - Math.Max(_lastInterim, _committed);
        // Behind (the next message is already waiting), an interim result would be stale when it arrives and would
        // delay the finals further: skip it, unless it is the segment's first or there has been none for
        // MaxInterimGapSeconds of audio.
        bool firstOfSegment = _lastInterim <= _committed;
        if (_interim && sinceInterim >= (long)(c.InterimSeconds * Rate) &&
            (firstOfSegment || sinceInterim >= (long)(MaxInterimGapSeconds * Rate) || !MessageWaiting()))
        {
            _lastInterim = Total;
            var words = await WordsIn(_committed, Total, Total, final: false);
            await Send(LiveMessages.Results(words, Seconds(_committed), Seconds(Total - _committed), false, false, false, _requestId, _model.Info));
        }
    }

    private const double MaxInterimGapSeconds = 3.0;

    /// <summary>Whether the client's next message has already arrived (the receive for it completes at once).</summary>
    private bool MessageWaiting()
    {
        _pending ??= _socket.ReceiveAsync(new ArraySegment<byte>(_receiveBuffer), CancellationToken.None);
        return _pending.IsCompleted;
    }

    /// <summary>A pause: the mean square of every 20 ms window of [from, to) is below -50 dBFS.</summary>
    private bool IsPause(long from, long to) => Windows(from, to, Window).All(w => w.Energy / Window < QuietMeanSquare);

    private bool HasSpeech(long from, long to) => Windows(from, to, Window).Any(w => w.Energy / Window >= 10 * QuietMeanSquare);

    private const double QuietMeanSquare = 1e-5;

    /// <summary>20 ms of samples.</summary>
    private int Window => Math.Max(1, Rate / 50);

    /// <summary>The start and sum of squares of each window of [from, to) (no earlier than the audio held), every
    /// <paramref name="hop"/> samples.</summary>
    private IEnumerable<(long Start, double Energy)> Windows(long from, long to, int hop)
    {
        int window = Window;
        for (long w = Math.Max(from, _offset); w + window <= to; w += hop)
        {
            double energy = 0;
            for (long i = w; i < w + window; i++) { var x = _audio[i - _offset]; energy += x * x; }
            yield return (w, energy);
        }
    }

    /// <summary>Where to end the next segment: the quietest 20 ms in the last CutSearchSeconds of it, and whether
    /// that place is silence (then the result is speech_final: the speaker paused).</summary>
    private (long Cut, bool Quiet) QuietestCut()
    {
        var c = _options.Chunking;
        long end = _committed + (long)(c.SegmentSeconds * Rate);
        long from = end - (long)(c.CutSearchSeconds * Rate);
        long best = end;
        double lowest = double.MaxValue;
        foreach (var (w, energy) in Windows(from, end, Window / 2))
            if (energy <= lowest) { lowest = energy; best = w + Window / 2; }
        return (best, lowest / Window < QuietMeanSquare);
    }

    private async Task SendFinal(long cut, bool speechFinal, bool fromFinalize)
    {
        var right = Math.Min(Total, cut + (long)(_options.Chunking.RightContextSeconds * Rate));
        var words = await WordsIn(_committed, cut, right, final: true);
        await Send(LiveMessages.Results(words, Seconds(_committed), Seconds(cut - _committed), true, speechFinal, fromFinalize, _requestId, _model.Info));
        _committed = cut;
        _endpoint = null;
        _lastInterim = Math.Max(_lastInterim, cut);
    }

    /// <summary>Final results for everything not yet final (CloseStream, Finalize, the end of the stream).</summary>
    private async Task Finish(bool fromFinalize)
    {
        if (_format is null) return;
        if (_endpoint is { } end) await SendFinal(end, speechFinal: true, fromFinalize);
        if (Total > _committed) await SendFinal(Total, speechFinal: true, fromFinalize);
    }

    /// <summary>Recognises [<see cref="ContextStart"/>, <paramref name="contextEnd"/>) and keeps the words whose
    /// middle lies in [<paramref name="start"/>, <paramref name="end"/>), with times from the stream's start.</summary>
    private async Task<Transcript> WordsIn(long start, long end, long contextEnd, bool final)
    {
        long from = Math.Max(_offset, ContextStart(start, final));
        var window = _audio.AsSpan((int)(from - _offset), (int)(contextEnd - from)).ToArray();
        int modelRate = _model.Recognizer.SampleRate;
        if (Rate != modelRate) window = Resampler.Resample(window, Rate, modelRate);
        var transcript = await _queue.Recognize(_model, window, _keywords, _keywordKey);
        double shift = Seconds(from), lo = Seconds(start), hi = Seconds(end);
        var words = transcript.Words
            .Select(w => w with { Start = w.Start + shift, End = w.End + shift })
            .Where(w => (w.Start + w.End) / 2 >= lo && (w.Start + w.End) / 2 < hi)
            .ToList();
        return new Transcript(string.Join(' ', words.Select(w => w.Word)), words.Count == 0 ? 0 : words.Average(w => w.Confidence),
            words, Seconds(end - start));
    }

    private async Task Send(string json)
    {
        using var timeout = new CancellationTokenSource(_options.SendTimeout);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new SendTimedOut();
        }
    }

    /// <summary>A result message waited longer than the send timeout: the client's buffers are full, it stopped reading.</summary>
    private sealed class SendTimedOut : Exception;

    /// <summary>Sends the close frame, then reads (and drops) what the client still sends until its close frame, for
    /// a few seconds at most: closing the TCP connection with unread data would reset it and lose our last messages.</summary>
    private async Task Close(WebSocketCloseStatus status, string reason)
    {
        using (var timeout = new CancellationTokenSource(_options.SendTimeout))
            await _socket.CloseOutputAsync(status, reason, timeout.Token);
        var deadline = Task.Delay(TimeSpan.FromSeconds(5));
        while (_socket.State == WebSocketState.CloseSent)
        {
            _pending ??= _socket.ReceiveAsync(new ArraySegment<byte>(_receiveBuffer), CancellationToken.None);
            if (await Task.WhenAny(_pending, deadline) != _pending) { _socket.Abort(); return; }
            var result = await _pending;
            _pending = null;
            if (result.MessageType == WebSocketMessageType.Close) return;
        }
    }

    private sealed class LiveError(ApiError error, WebSocketCloseStatus closeStatus) : Exception(error.Message)
    {
        public ApiError Error { get; } = error;
        public WebSocketCloseStatus CloseStatus { get; } = closeStatus;
    }
}

// What /metrics reports, in Prometheus' text exposition format (version 0.0.4): requests by endpoint and status,
// audio seconds recognised, a request-latency histogram, queue depth, live sessions, batches and errors.
using System.Globalization;
using System.Text;

namespace DgTools.Server;

public sealed class ServerMetrics
{
    private static readonly double[] LatencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly object _lock = new();
    private readonly Dictionary<(string Endpoint, int Status), long> _requests = [];
    private readonly long[] _latencyCounts = new long[LatencyBuckets.Length + 1];
    private double _latencySum;
    private long _latencyCount;
    private double _audioSeconds;
    private long _errors;

    public int QueueDepth { get; set; }
    public int LiveSessions;
    public BatchCounter Batches { get; } = new();

    public void Request(string endpoint, int status, double seconds, double audioSeconds)
    {
        lock (_lock)
        {
            _requests[(endpoint, status)] = _requests.GetValueOrDefault((endpoint, status)) + 1;
            if (status >= 400) _errors++;
            _audioSeconds += audioSeconds;
            int bucket = Array.FindIndex(LatencyBuckets, b => seconds <= b);
            _latencyCounts[bucket < 0 ? LatencyBuckets.Length : bucket]++;
            _latencySum += seconds;
            _latencyCount++;
        }
    }

    public string ToPrometheus()
    {
        var sb = new StringBuilder();
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            sb.Append("# HELP dgtools_requests_total Requests answered, by endpoint and HTTP status.\n# TYPE dgtools_requests_total counter\n");
            foreach (var ((endpoint, status), n) in _requests.OrderBy(r => r.Key.Endpoint).ThenBy(r => r.Key.Status))
                sb.Append($"dgtools_requests_total{{endpoint=\"{endpoint}\",status=\"{status}\"}} {n}\n");
            sb.Append("# HELP dgtools_errors_total Requests answered with a 4xx or 5xx status.\n# TYPE dgtools_errors_total counter\n");
            sb.Append($"dgtools_errors_total {_errors}\n");
            sb.Append("# HELP dgtools_audio_seconds_total Seconds of audio recognised.\n# TYPE dgtools_audio_seconds_total counter\n");
            sb.Append($"dgtools_audio_seconds_total {F(_audioSeconds)}\n");
            sb.Append("# HELP dgtools_request_duration_seconds Time from request start to response end.\n# TYPE dgtools_request_duration_seconds histogram\n");
            long cumulative = 0;
            for (int i = 0; i < LatencyBuckets.Length; i++)
            {
                cumulative += _latencyCounts[i];
                sb.Append($"dgtools_request_duration_seconds_bucket{{le=\"{F(LatencyBuckets[i])}\"}} {cumulative}\n");
            }
            cumulative += _latencyCounts[^1];
            sb.Append($"dgtools_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n");
            sb.Append($"dgtools_request_duration_seconds_sum {F(_latencySum)}\n");
            sb.Append($"dgtools_request_duration_seconds_count {_latencyCount}\n");
        }
        sb.Append("# HELP dgtools_queue_depth Recognition jobs waiting for the model.\n# TYPE dgtools_queue_depth gauge\n");
        sb.Append($"dgtools_queue_depth {QueueDepth}\n");
        sb.Append("# HELP dgtools_live_sessions Open live (WebSocket) sessions.\n# TYPE dgtools_live_sessions gauge\n");
        sb.Append($"dgtools_live_sessions {Volatile.Read(ref LiveSessions)}\n");
        sb.Append("# HELP dgtools_batches_total Network batches run.\n# TYPE dgtools_batches_total counter\n");
        sb.Append($"dgtools_batches_total {Batches.Count}\n");
        sb.Append("# HELP dgtools_batched_utterances_total Utterances recognised in those batches.\n# TYPE dgtools_batched_utterances_total counter\n");
        sb.Append($"dgtools_batched_utterances_total {Batches.Utterances}\n");
        return sb.ToString();
    }
}

public sealed class BatchCounter
{
    private long _count, _utterances;
    public long Count => Interlocked.Read(ref _count);
    public long Utterances => Interlocked.Read(ref _utterances);

    public void Add(int utterances)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _utterances, utterances);
    }
}

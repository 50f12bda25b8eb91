// What /metrics reports, in Prometheus' text exposition format (version 0.0.4): requests by endpoint and status,
// audio seconds recognised, a request-latency histogram, requests in flight, queue depth, live sessions, batches and
// errors.
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
    public int RequestsInFlight;
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
        lock (_lock)
        {
            Write(sb, "dgtools_requests_total", "counter", "Requests answered, by endpoint and HTTP status.",
                _requests.OrderBy(r => r.Key.Endpoint).ThenBy(r => r.Key.Status)
                    .Select(r => ($"{{endpoint=\"{r.Key.Endpoint}\",status=\"{r.Key.Status}\"}}", (double)r.Value)));
            Write(sb, "dgtools_errors_total", "counter", "Requests answered with a 4xx or 5xx status.", _errors);
            Write(sb, "dgtools_audio_seconds_total", "counter", "Seconds of audio recognised.", _audioSeconds);
            // A histogram's buckets count every observation up to their bound (le), so they add up left to right.
            long cumulative = 0;
            var buckets = LatencyBuckets.Select((bound, i) => ($"_bucket{{le=\"{Number(bound)}\"}}", (double)(cumulative += _latencyCounts[i])))
                .ToList();
            buckets.Add(("_bucket{le=\"+Inf\"}", cumulative + _latencyCounts[^1]));
            buckets.Add(("_sum", _latencySum));
            buckets.Add(("_count", _latencyCount));
            Write(sb, "dgtools_request_duration_seconds", "histogram", "Time from request start to response end.", buckets);
        }
        Write(sb, "dgtools_requests_in_flight", "gauge", "Requests (pre-recorded and live) being answered now.", Volatile.Read(ref RequestsInFlight));
        Write(sb, "dgtools_queue_depth", "gauge", "Recognition jobs waiting for the model.", QueueDepth);
        Write(sb, "dgtools_live_sessions", "gauge", "Open live (WebSocket) sessions.", Volatile.Read(ref LiveSessions));
        Write(sb, "dgtools_batches_total", "counter", "Network batches run.", Batches.Count);
        Write(sb, "dgtools_batched_utterances_total", "counter", "Utterances recognised in those batches.", Batches.Utterances);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, string name, string type, string help, double value) =>
        Write(sb, name, type, help, [("", value)]);

    /// <summary>One metric family: its HELP and TYPE lines, then one line per sample (a suffix such as "_sum" and/or
    /// labels in braces, appended to the name).</summary>
    private static void Write(StringBuilder sb, string name, string type, string help, IEnumerable<(string Suffix, double Value)> samples)
    {
        sb.Append($"# HELP {name} {help}\n# TYPE {name} {type}\n");
        foreach (var (suffix, value) in samples) sb.Append($"{name}{suffix} {Number(value)}\n");
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
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

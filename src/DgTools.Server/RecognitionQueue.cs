// The one place the server runs the network: a bounded queue of recognition jobs and one worker thread that takes
// every job waiting for the same model and keywords (up to MaxBatchUtterances) and recognises them in one network
// batch. Bounded: past QueueLimit waiting jobs a new one is refused (HTTP 429) instead of growing memory. One
// worker thread also means torch is only ever called from one thread, whatever Kestrel does.
using DgTools.Decoding;

namespace DgTools.Server;

public sealed class RecognitionQueue : IDisposable
{
    private sealed record Job(ServedModel Model, float[] Samples, KeywordBoost? Keywords, string KeywordKey,
        TaskCompletionSource<Transcript> Done);

    private readonly LinkedList<Job> _waiting = new();
    private readonly object _lock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _worker;
    private readonly int _limit, _maxBatch;
    private readonly ServerMetrics _metrics;

    public RecognitionQueue(int limit, int maxBatch, ServerMetrics metrics)
    {
        _limit = limit;
        _maxBatch = maxBatch;
        _metrics = metrics;
        _worker = new Thread(Work) { IsBackground = true, Name = "dgtools recognition" };
        _worker.Start();
    }

    /// <summary>Jobs waiting (not yet in the network).</summary>
    public int Depth { get { lock (_lock) return _waiting.Count; } }

    /// <param name="keywordKey">Identifies the keyword set: only jobs with equal keys share a batch.</param>
    /// <exception cref="ApiError">429 when the queue is full.</exception>
    public Task<Transcript> Recognize(ServedModel model, float[] samples, KeywordBoost? keywords, string keywordKey)
    {
        var job = new Job(model, samples, keywords, keywordKey, new TaskCompletionSource<Transcript>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            if (_stop.IsCancellationRequested) throw ApiError.Unavailable("The server is shutting down.");
            if (_waiting.Count >= _limit)
                throw ApiError.Busy($"Too many requests waiting ({_limit}); try again shortly.");
            _waiting.AddLast(job);
            _metrics.QueueDepth = _waiting.Count;
        }
        _signal.Release();
        return job.Done.Task;
    }

    private void Work()
    {
        while (true)
        {
            try { _signal.Wait(_stop.Token); }
            catch (OperationCanceledException) { break; }
            var batch = TakeBatch();
            if (batch.Count == 0) continue;
            try
            {
                var recognizer = batch[0].Model.Recognizer;
                var keywords = batch[0].Keywords;
                // Recordings longer than one chunk go alone (the recognizer cuts them as `transcribe` does).
                var shortOnes = batch.Where(j => j.Samples.Length <= SpeechRecognizer.ChunkSeconds * recognizer.SampleRate).ToList();
                foreach (var job in batch.Except(shortOnes)) job.Done.SetResult(recognizer.Transcribe(job.Samples, keywords));
                if (shortOnes.Count > 0)
                {
                    var transcripts = recognizer.TranscribeBatch(shortOnes.Select(j => j.Samples).ToList(), keywords: keywords);
                    for (int i = 0; i < shortOnes.Count; i++) shortOnes[i].Done.SetResult(transcripts[i]);
                }
                _metrics.Batches.Add(batch.Count);
            }
            catch (Exception e)
            {
                foreach (var job in batch) job.Done.TrySetException(e);
            }
        }
        lock (_lock)
        {
            foreach (var job in _waiting) job.Done.TrySetException(ApiError.Unavailable("The server is shutting down."));
            _waiting.Clear();
        }
    }

    /// <summary>The oldest job and every other waiting job for the same model and keywords, up to the batch size.</summary>
    private List<Job> TakeBatch()
    {
        lock (_lock)
        {
            var batch = new List<Job>();
            if (_waiting.First is not { } first) return batch;
            for (var node = first; node is not null && batch.Count < _maxBatch;)
            {
                var next = node.Next;
                if (node.Value.Model == first.Value.Model && node.Value.KeywordKey == first.Value.KeywordKey)
                {
                    batch.Add(node.Value);
                    _waiting.Remove(node);
                }
                node = next;
            }
            // Each job released the semaphore once; the ones taken along with the first consume their releases.
            for (int i = 1; i < batch.Count; i++) _signal.Wait(0);
            _metrics.QueueDepth = _waiting.Count;
            return batch;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _worker.Join();
        _signal.Dispose();
        _stop.Dispose();
    }
}

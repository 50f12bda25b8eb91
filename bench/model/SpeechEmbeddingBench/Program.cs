// Cost of the speech-embedding front end (Model/FeatureFrontEnd.cs): CPU seconds per second of audio for the
// log-mel filterbank alone, for the TorchSharp port of speech_embedding over whole clips, and for ONNX Runtime running
// the original graphs on sliding 76-frame windows (stride 8, as openWakeWord does), on the same clips, one thread.
//
//   dotnet run -c Release --project bench/model/SpeechEmbeddingBench -- ONNX_DIR AUDIO_DIR [MAX_FILES]
using System.Diagnostics;
using DgTools.Audio;
using DgTools.Model;
using DgTools.Model.SpeechEmbedding;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

var onnxDir = args[0];
var files = Directory.EnumerateFiles(args[1], "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
    .Take(args.Length > 2 ? int.Parse(args[2]) : 200).ToList();
TorchSharp.torch.set_num_threads(1);
var clips = files.Select(f => AudioDecoder.Load(f, 16000)).ToList();
var seconds = clips.Sum(c => c.Length) / 16000.0;
Console.WriteLine($"{clips.Count} clips, {seconds:F1} s of audio, 1 thread");

var tensors = SpeechEmbeddingNetwork.ImportOnnx(onnxDir);
var fbank = new FbankExtractor(new FeatureConfig());
using var frontEnd = new FeatureFrontEnd(new FeatureConfig { SpeechEmbedding = true }, tensors);
using var network = new SpeechEmbeddingNetwork(tensors);

double CpuSeconds(Action run)
{
    run(); // warm-up
    var process = Process.GetCurrentProcess();
    var before = process.TotalProcessorTime;
    run();
    process.Refresh();
    return (process.TotalProcessorTime - before).TotalSeconds;
}

var fbankCost = CpuSeconds(() => { foreach (var c in clips) fbank.Compute(c); });
var portCost = CpuSeconds(() =>
{
    foreach (var c in clips)
    {
        using var mel = network.Melspectrogram(c);
        using var e = network.Embed(mel);
    }
});
var frontEndCost = CpuSeconds(() => { foreach (var c in clips) frontEnd.Compute(c); });

var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
using var melSession = new InferenceSession(Path.Combine(onnxDir, "melspectrogram.onnx"), options);
using var embeddingSession = new InferenceSession(Path.Combine(onnxDir, "embedding_model.onnx"), options);
var onnxCost = CpuSeconds(() =>
{
    foreach (var c in clips)
    {
        using var melResult = melSession.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(c, [1, c.Length]))]);
        var mel = melResult.Single().AsEnumerable<float>().Select(x => x / 10f + 2f).ToArray();
        var frames = mel.Length / 32;
        if (frames < 76) continue;
        var windows = (frames - 76) / 8 + 1;
        var batch = new float[windows * 76 * 32];
        for (var w = 0; w < windows; w++) Array.Copy(mel, w * 8 * 32, batch, w * 76 * 32, 76 * 32);
        using var result = embeddingSession.Run([NamedOnnxValue.CreateFromTensor("input_1", new DenseTensor<float>(batch, [windows, 76, 32, 1]))]);
    }
});

void Row(string what, double cpu) => Console.WriteLine($"{what,-58} {cpu,7:F2} CPU s  {cpu / seconds * 1000,7:F1} ms per s of audio  ({seconds / cpu,6:F0}× real time)");
Row("log-mel filterbank (FbankExtractor)", fbankCost);
Row("speech_embedding port, whole clips (mel + embedding)", portCost);
Row("FeatureFrontEnd: filterbank + stream + interpolation", frontEndCost);
Row("ONNX Runtime 1.32, windows of 76 frames, stride 8", onnxCost);

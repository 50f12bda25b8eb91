using DgTools.Model;
using Xunit;
using static TorchSharp.torch;

namespace DgTools.Tests.Model;

public class TorchTensorDataTests
{
    [Fact]
    public void Copies_exactly_the_tensors_elements_for_views_transposes_and_plain_tensors()
    {
        using var scope = NewDisposeScope();
        var whole = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        // A contiguous view that starts inside its storage, a non-contiguous transpose, an int64 tensor.
        Assert.Equal([4f, 5, 6, 7], TorchTensorData.ToTensorData(whole[1]).ToFloats());
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], TorchTensorData.ToTensorData(whole.t()).ToFloats());
        var data = TorchTensorData.ToTensorData(whole);
        Assert.Equal("F32", data.DType);
        Assert.Equal([3L, 4], data.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)i), data.ToFloats());
        var longs = TorchTensorData.ToTensorData(tensor(new long[] { 7, -1 }));
        Assert.Equal("I64", longs.DType);
        Assert.Equal(16, longs.Data.Length);
    }
}

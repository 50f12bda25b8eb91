// TorchSharp turns C# numbers into native Scalars implicitly, and its methods pass only the Scalar's handle to native
// code, so the garbage collector may finalize (free) a temporary Scalar while libtorch still reads it. We saw this as
// rare, random failures ("For integral input tensors, argument alpha must not be a floating point number" after
// thousands of steps). Hot code therefore passes Scalars that stay reachable: the constants here (static, never
// collected) or locals held by `using` for values that change per step.
using TorchSharp;

namespace DgTools.Model;

internal static class KeptScalars
{
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();
    public static readonly Scalar Two = 2.0.ToScalar();
}

using System.Reflection;

namespace DgTools;

public static class ProductInfo
{
    public static string Version { get; } =
        typeof(ProductInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "0.0.0";

    public const string Copyright = "Copyright © 2026 the dgtools authors (open source)";
}

using System.Diagnostics;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Bench;

/// <summary>Generates benchmark models once and keeps them between runs.</summary>
internal static class BenchModels
{
    public static string Get(string folder, TestModelShape shape, LlamaFileType type)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{shape.Name}-{type.ToDisplayName()}.gguf");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"generating {Path.GetFileName(path)} (once)...");
            var clock = Stopwatch.StartNew();
            TestModelBuilder.Write(path, shape, type);
            Console.Error.WriteLine($"generated in {clock.Elapsed.TotalSeconds:F1} s");
        }

        return path;
    }
}

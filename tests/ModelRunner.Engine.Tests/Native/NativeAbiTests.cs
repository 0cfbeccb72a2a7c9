using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Tests.Native;

/// <summary>
/// Compiles a C program against the exact llama.h the binaries were built from and compares
/// every field offset and struct size with what .NET marshals. A mismatch here would corrupt
/// memory silently at run time, so the test names every field that differs.
/// </summary>
public sealed class NativeAbiTests
{
    private static readonly (Type Managed, string Native)[] Structs =
    [
        (typeof(LlamaModelParams), "struct llama_model_params"),
        (typeof(LlamaContextParams), "struct llama_context_params"),
        (typeof(LlamaBatch), "struct llama_batch"),
        (typeof(LlamaModelQuantizeParams), "struct llama_model_quantize_params"),
        (typeof(LlamaChatMessage), "struct llama_chat_message"),
        (typeof(LlamaTokenData), "struct llama_token_data"),
        (typeof(LlamaTokenDataArray), "struct llama_token_data_array"),
        (typeof(LlamaSamplerChainParams), "struct llama_sampler_chain_params"),
        (typeof(LlamaLogitBias), "struct llama_logit_bias"),
        (typeof(GgmlThreadpoolParams), "struct ggml_threadpool_params"),
    ];

    [Fact]
    public void StructLayouts_CompiledAgainstPinnedHeaders_MatchEveryFieldAndSize()
    {
        var native = MeasureNativeLayouts();
        var mismatches = new List<string>();
        foreach (var (managed, name) in Structs)
        {
            Compare(mismatches, $"sizeof({name})", native[$"sizeof {name}"], Marshal.SizeOf(managed));
            foreach (var field in managed.GetFields(BindingFlags.Instance | BindingFlags.Public))
            {
                Compare(mismatches, $"offsetof({name}, {field.Name})", native[$"{name}.{field.Name}"], Marshal.OffsetOf(managed, field.Name).ToInt64());
            }
        }

        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData(typeof(LlamaModelParams), 80)]
    [InlineData(typeof(LlamaContextParams), 160)]
    [InlineData(typeof(LlamaBatch), 56)]
    [InlineData(typeof(LlamaModelQuantizeParams), 64)]
    [InlineData(typeof(LlamaChatMessage), 16)]
    [InlineData(typeof(LlamaTokenData), 12)]
    [InlineData(typeof(LlamaTokenDataArray), 32)]
    public void StructSize_OnX64_IsTheReleaseSize(Type type, int expected)
    {
        Assert.Equal(expected, Marshal.SizeOf(type));
        // The blittable (in-memory) size must agree with the marshalled one, or by-value calls would differ.
        Assert.Equal(expected, (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!);
    }

    [Fact]
    public void CBool_IsOneByte()
    {
        Assert.Equal(1, Marshal.SizeOf<CBool>());
        Assert.Equal(1, Unsafe.SizeOf<CBool>());
    }

    private static void Compare(List<string> mismatches, string what, long native, long managed)
    {
        if (native != managed)
        {
            mismatches.Add($"{what}: C says {native}, .NET says {managed}");
        }
    }

    private static Dictionary<string, long> MeasureNativeLayouts()
    {
        var source = LlamaSource.Directory;
        var program = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include \"llama.h\"\nint main(void) {\n");
        foreach (var (managed, name) in Structs)
        {
            program.Append(CultureInfo.InvariantCulture, $"  printf(\"sizeof {name}=%zu\\n\", sizeof({name}));\n");
            foreach (var field in managed.GetFields(BindingFlags.Instance | BindingFlags.Public))
            {
                program.Append(CultureInfo.InvariantCulture, $"  printf(\"{name}.{field.Name}=%zu\\n\", offsetof({name}, {field.Name}));\n");
            }
        }

        program.Append("  return 0;\n}\n");

        var work = Directory.CreateTempSubdirectory("abi-");
        try
        {
            var cFile = Path.Combine(work.FullName, "abi.c");
            var executable = Path.Combine(work.FullName, "abi");
            File.WriteAllText(cFile, program.ToString());
            Run("cc", $"-I{source}/include -I{source}/ggml/include -o {executable} {cFile}");
            return Run(executable, "")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('='))
                .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed ({process.ExitCode}): {errors}");
        return output.Result;
    }
}

namespace ModelRunner.Cli.Tests;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("modelrunner-cli-");

    [Fact]
    public async Task TestModelThenGenerate_Greedy_StreamsTheSameTextTwice()
    {
        var model = Path.Combine(_folder.FullName, "tiny.gguf");
        var written = await CliProcess.RunAsync(["testmodel", "--shape", "tiny", "--out", model]);
        Assert.Equal(0, written.ExitCode);

        string[] generate = ["generate", model, "Once upon a time", "--max-tokens", "12", "--temperature", "0"];
        var first = await CliProcess.RunAsync(generate);
        var second = await CliProcess.RunAsync(generate);

        Assert.Equal(0, first.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(first.Output));
        Assert.Equal(first.Output, second.Output);
        Assert.Equal("", first.Error);
    }

    [Fact]
    public async Task Generate_FileThatIsNotGguf_FailsWithOneLineAndExitCode1()
    {
        var path = Path.Combine(_folder.FullName, "notes.txt");
        await File.WriteAllTextAsync(path, "not a model");

        var result = await CliProcess.RunAsync(["generate", path, "hello"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("modelrunner: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("not a usable GGUF model", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Generate_LlamaCppNotInstalled_SaysWhatToInstall()
    {
        var model = Path.Combine(_folder.FullName, "tiny.gguf");
        Assert.Equal(0, (await CliProcess.RunAsync(["testmodel", "--out", model])).ExitCode);

        var result = await CliProcess.RunAsync(["generate", model, "hello"], new Dictionary<string, string> { ["MODEL_RUNNER_LLAMA_DIR"] = _folder.FullName });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("llama.cpp is not installed", result.Error, StringComparison.Ordinal);
        Assert.Contains("eng/fetch-llama.sh", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Generate_UnknownGpuPreference_FailsClearly()
    {
        var model = Path.Combine(_folder.FullName, "tiny.gguf");
        Assert.Equal(0, (await CliProcess.RunAsync(["testmodel", "--out", model])).ExitCode);

        var result = await CliProcess.RunAsync(["generate", model, "hello"], new Dictionary<string, string> { ["MODEL_RUNNER_GPU"] = "tpu" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MODEL_RUNNER_GPU=tpu is not one of auto, cuda, cpu", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_MissingArguments_IsAUsageError()
    {
        var result = await CliProcess.RunAsync(["generate"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Required argument missing", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}

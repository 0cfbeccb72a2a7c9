using System.Diagnostics;

namespace ModelRunner.Api.Tests.Reference;

/// <summary>
/// Runs a shell example from Docker's documentation as written, with <c>sh</c> and the real
/// <c>curl</c>; only the TCP address is pointed at the test server (the port is ours).
/// </summary>
internal static class CurlExample
{
    public static async Task<string> RunAsync(string script, ReferenceServerFixture fixture)
    {
        var address = fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var text = script
            .Replace("http://localhost:12434", address, StringComparison.Ordinal)
            .Replace("http://model-runner.docker.internal", address, StringComparison.Ordinal);

        var start = new ProcessStartInfo("sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOME"] = fixture.UserHome;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start");
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"the example exited with {process.ExitCode}: {await error}");
        return await output;
    }
}

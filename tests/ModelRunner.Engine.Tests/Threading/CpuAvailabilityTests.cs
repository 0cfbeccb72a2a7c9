using System.Diagnostics;
using ModelRunner.Engine.Threading;

namespace ModelRunner.Engine.Tests.Threading;

public sealed class CpuAvailabilityTests
{
    [Fact]
    public async Task SampleFreeCores_EveryCoreBusyInOtherProcesses_OnlyWhatThisProcessTookIsFree()
    {
        var availability = CpuAvailability.Start();
        Assert.NotNull(availability);
        var spinners = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!)
            .ToList();
        try
        {
            // Let the spinners get going; the measuring window starts after.
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            availability.SampleFreeCores();
            var ownBefore = Environment.CpuUsage.TotalTime;
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromMilliseconds(600));
            var free = availability.SampleFreeCores();
            var ownCores = (Environment.CpuUsage.TotalTime - ownBefore).TotalSeconds / window.Elapsed.TotalSeconds;

            // Spinners on every core leave only what this process (other tests, the runtime) took from them.
            Assert.InRange(free, 0, ownCores + 0.3);
        }
        finally
        {
            foreach (var spinner in spinners)
            {
                spinner.Kill();
                await spinner.WaitForExitAsync();
                spinner.Dispose();
            }
        }
    }

    [Fact]
    public async Task SampleFreeCores_AnyMachine_BetweenZeroAndTheCoresThisProcessMayUse()
    {
        var availability = CpuAvailability.Start();
        Assert.NotNull(availability);

        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.InRange(availability.SampleFreeCores(), 0, Environment.ProcessorCount);
    }
}

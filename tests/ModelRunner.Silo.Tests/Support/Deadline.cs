namespace ModelRunner.Silo.Tests.Support;

/// <summary>Awaits with a deadline; the failure says what did not finish.</summary>
internal static class Deadline
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task<T> Within<T>(this Task<T> task, string what)
    {
        await Within((Task)task, what);
        return await task;
    }

    public static async Task Within(this Task task, string what)
    {
        try
        {
            await task.WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out waiting for {what}");
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; for state that raises no event.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Limit);
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }
}

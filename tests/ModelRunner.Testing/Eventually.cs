using Xunit;

namespace ModelRunner.Testing;

/// <summary>Waits for a condition with a deadline; the failure says what never happened.</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>The same for a condition that has to ask something, e.g. a server over HTTP.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"timed out: {what}");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }
}

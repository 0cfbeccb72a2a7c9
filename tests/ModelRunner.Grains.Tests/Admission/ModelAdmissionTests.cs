using ModelRunner.Grains.Admission;
using ModelRunner.Grains.Models;

namespace ModelRunner.Grains.Tests.Admission;

[Collection(StoredModelsCollection.Name)]
public sealed class ModelAdmissionTests(StoredModels models)
{
    [Fact]
    public async Task Admit_BudgetForOneModel_LoadingASecondUnloadsTheIdleFirst()
    {
        var one = await EstimateAsync();
        await using var host = await GrainsHost.StartAsync(models, memoryBytes: one * 3 / 2);
        await host.Model(models.A.Id).PreloadAsync();

        await host.Model(models.B.Id).PreloadAsync();

        Assert.False(host.IsLoaded(models.A.Id));
        Assert.True(host.IsLoaded(models.B.Id));
        Assert.Equal(one, host.Admission.InUse.Memory);
    }

    [Fact]
    public async Task Admit_TheOnlyOtherModelIsBusy_RefusesWithBothNumbersAndKeepsIt()
    {
        var one = await EstimateAsync();
        await using var host = await GrainsHost.StartAsync(models, memoryBytes: one * 3 / 2);
        await using var busy = host.Model(models.A.Id).GenerateAsync(new ModelRequest(ModelPrompt.Raw("busy")) { MaxTokens = 3000 }).GetAsyncEnumerator();
        Assert.True(await busy.MoveNextAsync());

        var refused = await Assert.ThrowsAsync<ModelDoesNotFitException>(() => host.Model(models.B.Id).PreloadAsync());

        Assert.True(host.IsLoaded(models.A.Id));
        Assert.False(host.IsLoaded(models.B.Id));
        Assert.Equal(one, refused.NeededBytes);
        Assert.Equal(one * 3 / 2 - one, refused.AvailableBytes);
        Assert.Contains("does not fit", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evict_ARequestBeganAfterTheModelWasChosen_RefusesAndTheRequestFinishes()
    {
        await using var host = await GrainsHost.StartAsync(models);
        await host.Model(models.A.Id).PreloadAsync();
        var chosen = host.Loaded.Find(models.A.Id)!;
        Assert.False(chosen.IsBusy);
        await using var request = host.Model(models.A.Id).GenerateAsync(new ModelRequest(ModelPrompt.Raw("busy")) { MaxTokens = 40 }).GetAsyncEnumerator();
        Assert.True(await request.MoveNextAsync());

        Assert.False(await chosen.TryEvictAsync());

        var last = request.Current;
        while (await request.MoveNextAsync())
        {
            last = request.Current;
        }

        // The summary comes last, from a generation that ran to its end.
        Assert.NotNull(last.Summary);
        Assert.True(host.IsLoaded(models.A.Id));
        Assert.True(await chosen.TryEvictAsync());
        Assert.False(host.IsLoaded(models.A.Id));
    }

    [Fact]
    public async Task Admit_ModelLargerThanTheWholeBudget_FailsClearlyAndLoadsNothing()
    {
        await using var host = await GrainsHost.StartAsync(models, memoryBytes: 1 << 20);

        var refused = await Assert.ThrowsAsync<ModelDoesNotFitException>(() => host.Model(models.A.Id).PreloadAsync());

        Assert.Contains("1.0 MiB", refused.Message, StringComparison.Ordinal);
        Assert.False(host.IsLoaded(models.A.Id));
        Assert.Equal(0, host.Admission.InUse.Memory);
    }

    [Fact]
    public async Task Admit_PinnedModel_IsNeverUnloadedForAnother()
    {
        var one = await EstimateAsync();
        await using var host = await GrainsHost.StartAsync(models, memoryBytes: one * 3 / 2);
        await host.Model(models.A.Id).PreloadAsync(Timeout.InfiniteTimeSpan);

        await Assert.ThrowsAsync<ModelDoesNotFitException>(() => host.Model(models.B.Id).PreloadAsync());

        Assert.True(host.IsLoaded(models.A.Id));
    }

    private async Task<long> EstimateAsync()
    {
        await using var probe = await GrainsHost.StartAsync(models);
        await probe.Model(models.A.Id).PreloadAsync();
        return probe.Status(models.A.Id).MemoryBytes;
    }
}

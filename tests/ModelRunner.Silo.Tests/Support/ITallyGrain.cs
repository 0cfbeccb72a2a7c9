using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Tests.Support;

/// <summary>A grain whose count lives in grain storage.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();

    Task ClearAsync();

    Task DeactivateAsync();
}

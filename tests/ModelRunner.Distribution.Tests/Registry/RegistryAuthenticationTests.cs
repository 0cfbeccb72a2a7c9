using System.Text;
using ModelRunner.Distribution.Registry;

namespace ModelRunner.Distribution.Tests.Registry;

public sealed class RegistryAuthenticationTests : IDisposable
{
    private const string User = "modelrunner";
    private const string Password = "s3cret-Pa55";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PushAndPull_BasicAuthWithRightCredentials_Succeed()
    {
        await using var registry = await RegistryServer.StartWithBasicAuthAsync(User, Password);
        var credentials = RegistryCredentials.ForRegistry(registry.Host, RegistryCredential.Basic(User, Password));
        using var publisher = Distributions.Create(_folder.Combine("publisher"), o => o.Credentials = credentials);
        using var consumer = Distributions.Create(_folder.Combine("consumer"), o => o.Credentials = credentials);
        var reference = $"{registry.Host}/private/tiny:v1";
        var packaged = await publisher.PackageTinyAsync(reference);

        await publisher.PushModelAsync(reference);
        var pulled = await consumer.PullModelAsync(reference);

        Assert.Equal(packaged.Id, pulled.Id);
    }

    [Fact]
    public async Task PullAsync_BasicAuthWithWrongPassword_IsRefusedAndStoresNothing()
    {
        await using var registry = await RegistryServer.StartWithBasicAuthAsync(User, Password);
        var wrong = RegistryCredentials.ForRegistry(registry.Host, RegistryCredential.Basic(User, "not-the-password"));
        using var consumer = Distributions.Create(_folder.Combine("consumer"), o => o.Credentials = wrong);

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => consumer.PullModelAsync($"{registry.Host}/private/tiny:v1"));

        Assert.Contains(registry.Host, error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Empty(consumer.Store.List());
    }

    [Fact]
    public async Task PushAsync_BasicAuthWithoutCredentials_SaysCredentialsAreNeeded()
    {
        await using var registry = await RegistryServer.StartWithBasicAuthAsync(User, Password);
        using var publisher = Distributions.Create(_folder.Combine("publisher"));
        var reference = $"{registry.Host}/private/tiny:v1";
        await publisher.PackageTinyAsync(reference);

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => publisher.PushModelAsync(reference));

        Assert.Contains("requires a user name and password", error.Message, StringComparison.Ordinal);
        Assert.Contains("MODEL_RUNNER_REGISTRY_USERNAME", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAsync_CredentialsFromDockerConfigFile_AreUsed()
    {
        await using var registry = await RegistryServer.StartWithBasicAuthAsync(User, Password);
        var config = _folder.Combine("config.json");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        await File.WriteAllTextAsync(config, $$$"""{"auths":{"http://{{{registry.Host}}}":{"auth":"{{{auth}}}"}},"credsStore":"desktop"}""");
        using var publisher = Distributions.Create(_folder.Combine("publisher"), o => o.Credentials = RegistryCredentials.FromDockerConfig(config));
        var reference = $"{registry.Host}/private/tiny:docker-config";
        await publisher.PackageTinyAsync(reference);

        await publisher.PushModelAsync(reference);

        Assert.Equal(reference, Assert.Single(Assert.Single(publisher.Store.List()).Tags));
    }

    [Fact]
    public async Task PushAsync_CredentialsFromEnvironment_AreUsedForTheirRegistryOnly()
    {
        await using var registry = await RegistryServer.StartWithBasicAuthAsync(User, Password);
        var provider = RegistryCredentials.FromEnvironment();
        Environment.SetEnvironmentVariable(RegistryCredentials.HostVariable, registry.Host);
        Environment.SetEnvironmentVariable(RegistryCredentials.UsernameVariable, User);
        Environment.SetEnvironmentVariable(RegistryCredentials.PasswordVariable, Password);
        try
        {
            Assert.Null(await provider.GetCredentialAsync("index.docker.io"));
            using var publisher = Distributions.Create(_folder.Combine("publisher"), o => o.Credentials = provider);
            var reference = $"{registry.Host}/private/tiny:environment";
            await publisher.PackageTinyAsync(reference);

            await publisher.PushModelAsync(reference);
        }
        finally
        {
            Environment.SetEnvironmentVariable(RegistryCredentials.HostVariable, null);
            Environment.SetEnvironmentVariable(RegistryCredentials.UsernameVariable, null);
            Environment.SetEnvironmentVariable(RegistryCredentials.PasswordVariable, null);
        }
    }

    [Fact]
    public async Task PullAsync_TokenAuthAnonymously_GetsAPullToken()
    {
        await using var tokens = await TokenService.StartAsync(User, Password);
        await using var registry = await RegistryServer.StartWithTokenAuthAsync(tokens);
        var credentials = RegistryCredentials.ForRegistry(registry.Host, RegistryCredential.Basic(User, Password));
        using var publisher = Distributions.Create(_folder.Combine("publisher"), o => o.Credentials = credentials);
        using var anonymous = Distributions.Create(_folder.Combine("anonymous"));
        var reference = $"{registry.Host}/public/tiny:v1";
        var packaged = await publisher.PackageTinyAsync(reference);
        await publisher.PushModelAsync(reference);
        var issued = tokens.TokensIssued;

        var pulled = await anonymous.PullModelAsync(reference);

        Assert.Equal(packaged.Id, pulled.Id);
        Assert.True(tokens.TokensIssued > issued);
    }

    [Fact]
    public async Task PushAsync_TokenAuthAnonymously_IsRefused()
    {
        await using var tokens = await TokenService.StartAsync(User, Password);
        await using var registry = await RegistryServer.StartWithTokenAuthAsync(tokens);
        using var anonymous = Distributions.Create(_folder.Combine("anonymous"));
        var reference = $"{registry.Host}/public/tiny:v1";
        await anonymous.PackageTinyAsync(reference);

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => anonymous.PushModelAsync(reference));

        Assert.Contains(registry.Host, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAsync_TokenAuthWithWrongPassword_IsRefusedByTheTokenService()
    {
        await using var tokens = await TokenService.StartAsync(User, Password);
        await using var registry = await RegistryServer.StartWithTokenAuthAsync(tokens);
        var wrong = RegistryCredentials.ForRegistry(registry.Host, RegistryCredential.Basic(User, "wrong"));
        using var publisher = Distributions.Create(_folder.Combine("publisher"), o => o.Credentials = wrong);
        var reference = $"{registry.Host}/public/tiny:v1";
        await publisher.PackageTinyAsync(reference);

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => publisher.PushModelAsync(reference));

        Assert.Contains($"refused user '{User}'", error.Message, StringComparison.Ordinal);
    }
}

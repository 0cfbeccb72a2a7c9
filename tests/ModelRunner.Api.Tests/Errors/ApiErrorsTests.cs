using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Errors;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Tests.Errors;

/// <summary>Exceptions are classified by type: only the caller's mistakes are 4xx, and a 500 says nothing of the server's insides.</summary>
public sealed class ApiErrorsTests
{
    [Fact]
    public void From_InvalidRequest_Is400NamingTheField()
    {
        var error = ApiErrors.From(new InvalidRequestException("runtime flag --x is not allowed", "runtime-flags"));

        Assert.Equal((400, ApiErrorKind.InvalidRequest, "runtime-flags"), (error.Status, error.Kind, error.Param));
        Assert.Equal("runtime flag --x is not allowed", error.Message);
    }

    [Fact]
    public void From_InvalidEngineOption_Is400NamingTheOptionWithoutTheParameterSuffix()
    {
        var error = ApiErrors.From(new InvalidOptionException("TopP", "TopP must be in (0, 1]"));

        Assert.Equal((400, "TopP", "TopP must be in (0, 1]"), (error.Status, error.Param, error.Message));
    }

    [Theory]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(ArgumentOutOfRangeException))]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(NullReferenceException))]
    [InlineData(typeof(IOException))]
    public void From_AnyOtherException_IsAGeneric500ThatShowsNothingOfIt(Type type)
    {
        var exception = (Exception)Activator.CreateInstance(type, "could not open /home/runner/.modelrunner/models/blobs/sha256-secret")!;

        var error = ApiErrors.From(exception);

        Assert.Same(ApiErrors.Unexpected, error);
        Assert.DoesNotContain("/home/runner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_ModelOverloaded_Is503WithRetryAfter()
    {
        var error = ApiErrors.From(new ModelOverloadedException("busy", TimeSpan.FromSeconds(2)));

        Assert.Equal((503, ApiErrorKind.Overloaded, TimeSpan.FromSeconds(2)), (error.Status, error.Kind, error.RetryAfter));
    }

    [Fact]
    public void From_SerializerFailure_SaysWhereNotWhichClrType()
    {
        var exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Dictionary<string, int>>("""{"n":"x"}"""));

        var error = ApiErrors.From(exception);

        Assert.Equal((400, "$.n"), (error.Status, error.Param));
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_ParameterThatDoesNotBind_NamesTheParameterNotItsType()
    {
        var error = ApiErrors.From(new BadHttpRequestException("Required parameter \"string name\" was not provided from route.", 400));

        Assert.Equal((400, "name", "'name' is missing or malformed"), (error.Status, error.Param, error.Message));
    }
}

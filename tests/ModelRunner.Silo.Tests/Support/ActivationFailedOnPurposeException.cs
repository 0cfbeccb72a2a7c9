namespace ModelRunner.Silo.Tests.Support;

public sealed class ActivationFailedOnPurposeException(string key)
    : Exception($"activation of {key} failed on purpose");

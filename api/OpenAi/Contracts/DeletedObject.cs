using System.Text.Json.Serialization;

namespace ModelRunner.Api.OpenAi.Contracts;

public sealed record DeletedObject(string Id, string Object, bool Deleted);

using Xunit;
using System.Text.Json;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Mongo.Tests.Configuration;

/// <summary>Compares a JSON option value from the spec tests with a typed parsed value.</summary>
internal static class OptionAssert
{
    internal static void Matches(string name, JsonElement expected, object actual)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.True or JsonValueKind.False:
                Assert.Equal(expected.GetBoolean(), Assert.IsType<bool>(actual));
                break;
            case JsonValueKind.Number:
                var number = actual switch
                {
                    int i => i,
                    long l => l,
                    WriteConcernW { Count: int count } => count,
                    _ => throw new Xunit.Sdk.XunitException($"option {name}: expected a number, got {actual.GetType().Name} {actual}"),
                };
                Assert.Equal(expected.GetInt64(), number);
                break;
            case JsonValueKind.String:
                var text = actual switch
                {
                    string s => s,
                    WriteConcernW { Tag: string tag } => tag,
                    _ => throw new Xunit.Sdk.XunitException($"option {name}: expected a string, got {actual.GetType().Name} {actual}"),
                };
                Assert.Equal(expected.GetString(), text);
                break;
            case JsonValueKind.Object:
                var dictionary = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string>>(actual);
                Assert.Equal(expected.EnumerateObject().Count(), dictionary.Count);
                foreach (var property in expected.EnumerateObject())
                {
                    Assert.True(dictionary.TryGetValue(property.Name, out var value), $"option {name}: key {property.Name} missing");
                    Assert.Equal(property.Value.ToString(), value);
                }

                break;
            default:
                throw new Xunit.Sdk.XunitException($"option {name}: unsupported expected JSON kind {expected.ValueKind}");
        }
    }
}

using System.Text.Json;
using Xunit;

namespace DistributedSync.Bson.Tests.Json;

/// <summary>
/// Compares JSON texts after normalising them with System.Text.Json: whitespace and string
/// escaping are ignored, while object key order, string values and the exact spelling of numbers
/// (1 vs 1.0 matters in Extended JSON) must agree.
/// </summary>
internal static class JsonAssert
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 1024 };

    /// <summary>Fails with the path of the first difference unless the two texts are the same JSON.</summary>
    public static void Equivalent(string expected, string actual)
    {
        var difference = Difference(expected, actual);
        if (difference is not null)
        {
            Assert.Fail($"{difference}\nexpected: {expected}\nactual:   {actual}");
        }
    }

    /// <summary>Null when equal, else a description of the first difference.</summary>
    public static string? Difference(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected, Options);
        using var a = JsonDocument.Parse(actual, Options);
        return Compare(e.RootElement, a.RootElement, "$");
    }

    private static string? Compare(JsonElement e, JsonElement a, string path)
    {
        if (e.ValueKind != a.ValueKind)
        {
            return $"{path}: expected a {e.ValueKind} but found a {a.ValueKind}";
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                {
                    var ep = e.EnumerateObject().ToList();
                    var ap = a.EnumerateObject().ToList();
                    for (var i = 0; i < Math.Max(ep.Count, ap.Count); i++)
                    {
                        if (i >= ep.Count || i >= ap.Count || ep[i].Name != ap[i].Name)
                        {
                            return $"{path}: keys differ at position {i}: expected [{string.Join(", ", ep.Select(p => p.Name))}] but found [{string.Join(", ", ap.Select(p => p.Name))}]";
                        }

                        var d = Compare(ep[i].Value, ap[i].Value, $"{path}.{ep[i].Name}");
                        if (d is not null)
                        {
                            return d;
                        }
                    }

                    return null;
                }

            case JsonValueKind.Array:
                {
                    var ei = e.EnumerateArray().ToList();
                    var ai = a.EnumerateArray().ToList();
                    if (ei.Count != ai.Count)
                    {
                        return $"{path}: expected {ei.Count} elements but found {ai.Count}";
                    }

                    for (var i = 0; i < ei.Count; i++)
                    {
                        var d = Compare(ei[i], ai[i], $"{path}[{i}]");
                        if (d is not null)
                        {
                            return d;
                        }
                    }

                    return null;
                }

            case JsonValueKind.String:
                return e.GetString() == a.GetString() ? null : $"{path}: expected \"{e.GetString()}\" but found \"{a.GetString()}\"";
            case JsonValueKind.Number:
                return e.GetRawText() == a.GetRawText() ? null : $"{path}: expected the number {e.GetRawText()} but found {a.GetRawText()}";
            default:
                return null;
        }
    }
}

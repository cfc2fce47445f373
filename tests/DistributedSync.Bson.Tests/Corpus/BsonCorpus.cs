using System.Collections.Frozen;
using System.Text.Json;
using DistributedSync.TestKit;
using Xunit;

namespace DistributedSync.Bson.Tests.Corpus;

/// <summary>
/// Loads MongoDB's bson-corpus (<c>../shared/mongodb-spec-tests/bson-corpus/*.json</c>) once and
/// exposes every case as a <see cref="BsonCorpusCase"/>. Theories take the case id
/// (<c>file.json#kind#index</c>) as their only argument, so that each case is its own test case
/// in discovery, and resolve it with <see cref="Get"/>:
/// <code>
/// [Theory]
/// [MemberData(nameof(BsonCorpus.ValidIds), MemberType = typeof(BsonCorpus))]
/// public void Case(string id) { var c = BsonCorpus.Get(id); ... }
/// </code>
/// When the folder is absent the data holds one row, <see cref="MissingId"/>, marked skipped
/// with <see cref="MissingMessage"/>; <see cref="Get"/> skips as well.
/// </summary>
public static class BsonCorpus
{
    /// <summary>The corpus folder relative to <c>../shared</c>.</summary>
    public const string RelativePath = "mongodb-spec-tests/bson-corpus";

    /// <summary>The single id handed out when the corpus folder is absent.</summary>
    public const string MissingId = "bson-corpus-absent";

    private static readonly Lazy<Loaded?> State = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when the corpus folder exists.</summary>
    public static bool IsAvailable => State.Value is not null;

    /// <summary>The corpus folder, or null when absent.</summary>
    public static string? Folder => SharedData.Find(RelativePath);

    /// <summary>The skip reason used when the corpus folder is absent.</summary>
    public static string MissingMessage => SharedData.MissingMessage(RelativePath);

    /// <summary>Every case of every file, files in ordinal name order, cases in file order (empty when absent).</summary>
    public static IReadOnlyList<BsonCorpusCase> All => State.Value?.All ?? [];

    /// <summary>Every <c>valid[]</c> case.</summary>
    public static IReadOnlyList<BsonCorpusCase> Valid => OfKind(BsonCorpusCaseKind.Valid);

    /// <summary>Every <c>decodeErrors[]</c> case.</summary>
    public static IReadOnlyList<BsonCorpusCase> DecodeErrors => OfKind(BsonCorpusCaseKind.DecodeError);

    /// <summary>Every <c>parseErrors[]</c> case.</summary>
    public static IReadOnlyList<BsonCorpusCase> ParseErrors => OfKind(BsonCorpusCaseKind.ParseError);

    /// <summary>Skips the current test (xunit <see cref="Assert.Skip"/>) when the corpus is absent.</summary>
    public static void SkipIfMissing()
    {
        if (!IsAvailable)
        {
            Assert.Skip(MissingMessage);
        }
    }

    /// <summary>
    /// The case with the given id. Skips the current test when the corpus is absent; throws
    /// <see cref="KeyNotFoundException"/> for an unknown id.
    /// </summary>
    public static BsonCorpusCase Get(string id)
    {
        SkipIfMissing();
        return State.Value!.ById.TryGetValue(id, out var c)
            ? c
            : throw new KeyNotFoundException($"No bson-corpus case has the id '{id}'.");
    }

    /// <summary>Formats a case id: <c>file.json#valid#3</c>, <c>file.json#decodeErrors#0</c>, <c>file.json#parseErrors#1</c>.</summary>
    public static string FormatId(string fileName, BsonCorpusCaseKind kind, int index)
        => $"{fileName}#{KindName(kind)}#{index}";

    /// <summary>Theory data: the ids of every valid case.</summary>
    public static TheoryData<string> ValidIds() => ToTheoryData(Valid);

    /// <summary>Theory data: the ids of every decode-error case.</summary>
    public static TheoryData<string> DecodeErrorIds() => ToTheoryData(DecodeErrors);

    /// <summary>Theory data: the ids of every parse-error case.</summary>
    public static TheoryData<string> ParseErrorIds() => ToTheoryData(ParseErrors);

    /// <summary>Theory data: the ids of the cases of one kind in one file (e.g. <c>"decimal128-1.json"</c>).</summary>
    public static TheoryData<string> IdsInFile(BsonCorpusCaseKind kind, string fileName)
        => ToTheoryData(OfKind(kind).Where(c => c.FileName == fileName));

    /// <summary>
    /// Theory data from any selection of cases (build your own filter over <see cref="All"/>).
    /// When the corpus is absent the result is the single skipped row <see cref="MissingId"/>.
    /// </summary>
    public static TheoryData<string> ToTheoryData(IEnumerable<BsonCorpusCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var data = new TheoryData<string>();
        if (!IsAvailable)
        {
            data.Add(new TheoryDataRow<string>(MissingId).WithSkip(MissingMessage));
            return data;
        }

        foreach (var c in cases)
        {
            data.Add(c.Id);
        }

        return data;
    }

    private static IReadOnlyList<BsonCorpusCase> OfKind(BsonCorpusCaseKind kind)
        => State.Value?.ByKind[(int)kind] ?? [];

    private static string KindName(BsonCorpusCaseKind kind) => kind switch
    {
        BsonCorpusCaseKind.Valid => "valid",
        BsonCorpusCaseKind.DecodeError => "decodeErrors",
        BsonCorpusCaseKind.ParseError => "parseErrors",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Loaded? Load()
    {
        var folder = Folder;
        if (folder is null)
        {
            return null;
        }

        var files = Directory.GetFiles(folder, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        var all = new List<BsonCorpusCase>();
        foreach (var path in files)
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            all.AddRange(ReadFile(Path.GetFileName(path), json.RootElement));
        }

        var byKind = new BsonCorpusCase[3][];
        for (var k = 0; k < byKind.Length; k++)
        {
            byKind[k] = [.. all.Where(c => (int)c.Kind == k)];
        }

        return new Loaded([.. all], byKind, all.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal));
    }

    private static IEnumerable<BsonCorpusCase> ReadFile(string fileName, JsonElement root)
    {
        var template = new BsonCorpusCase
        {
            FileName = fileName,
            FileDescription = Str(root, "description") ?? string.Empty,
            BsonType = Str(root, "bson_type") ?? "0x00",
            TestKey = Str(root, "test_key"),
            Deprecated = Bool(root, "deprecated"),
            Kind = BsonCorpusCaseKind.Valid,
            Index = 0,
            Description = string.Empty,
        };

        foreach (var (arrayName, kind) in new[] { ("valid", BsonCorpusCaseKind.Valid), ("decodeErrors", BsonCorpusCaseKind.DecodeError), ("parseErrors", BsonCorpusCaseKind.ParseError) })
        {
            if (!root.TryGetProperty(arrayName, out var array))
            {
                continue;
            }

            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                yield return template with
                {
                    Kind = kind,
                    Index = index++,
                    Description = Str(item, "description") ?? string.Empty,
                    CanonicalBson = Str(item, "canonical_bson"),
                    CanonicalExtJson = Str(item, "canonical_extjson"),
                    RelaxedExtJson = Str(item, "relaxed_extjson"),
                    DegenerateBson = Str(item, "degenerate_bson"),
                    DegenerateExtJson = Str(item, "degenerate_extjson"),
                    ConvertedBson = Str(item, "converted_bson"),
                    ConvertedExtJson = Str(item, "converted_extjson"),
                    Lossy = Bool(item, "lossy"),
                    Bson = Str(item, "bson"),
                    String = Str(item, "string"),
                };
            }
        }
    }

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static bool Bool(JsonElement e, string name)
        => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.True;

    private sealed record Loaded(
        BsonCorpusCase[] All,
        BsonCorpusCase[][] ByKind,
        FrozenDictionary<string, BsonCorpusCase> ById);
}

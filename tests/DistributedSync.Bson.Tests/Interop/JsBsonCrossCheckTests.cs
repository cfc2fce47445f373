using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DistributedSync.Bson.IO;
using DistributedSync.Bson.Json;
using Xunit;

namespace DistributedSync.Bson.Tests.Interop;

/// <summary>
/// Cross-checks our codec and Extended JSON writer against the official JavaScript bson package:
/// js-bson generates seeded random documents of every type, which we must decode and re-encode
/// byte for byte; and the documents we encode (those, plus our own random ones) must come back
/// identical from js-bson's decode and re-encode, with the same canonical Extended JSON.
/// </summary>
public sealed class JsBsonCrossCheckTests(JsBsonOracleFixture fixture) : IClassFixture<JsBsonOracleFixture>
{
    private const int OwnDocumentCount = 2_000;
    private const int MaxReported = 10;

    [Fact]
    public async Task JsGeneratedDocuments_DecodeAndReencodeByteForByte()
    {
        var set = await GeneratedOrSkipAsync();
        Assert.True(set.Documents.Count >= JsBsonOracleFixture.MinimumCount, $"js-bson generated only {set.Documents.Count} documents.");

        var failures = new List<string>();
        var failed = 0;
        var writer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < set.Documents.Count; i++)
        {
            var original = set.Documents[i].Span;
            string? problem;
            try
            {
                var document = BsonCodec.Decode(original);
                var bytes = BsonCodec.ToBytes(document);
                writer.ResetWrittenCount();
                BsonCodec.Encode(document, writer);
                problem = BsonStream.FirstDifference(original, bytes) >= 0
                    ? BsonStream.DescribeDifference(i, "js-bson", original, "ours", bytes)
                    : BsonStream.FirstDifference(bytes, writer.WrittenSpan) >= 0
                        ? BsonStream.DescribeDifference(i, "ToBytes", bytes, "Encode", writer.WrittenSpan)
                        : null;
            }
            catch (Exception e) // any failure is reported with its document index, not thrown
            {
                problem = $"document {i}: {e.GetType().Name}: {e.Message}\n  js-bson bytes: {Convert.ToHexString(original[..Math.Min(original.Length, 64)])}...";
            }

            if (problem is not null && failed++ < MaxReported)
            {
                failures.Add(problem);
            }
        }

        Assert.True(failed == 0, $"{failed} of {set.Documents.Count} js-bson documents did not survive our decode and re-encode ({fixture.Describe()}):\n\n{string.Join("\n\n", failures)}");
    }

    [Fact]
    public async Task JsGeneratedDocuments_CoverEveryBsonTypeAndTheCommonBinarySubtypes()
    {
        var set = await GeneratedOrSkipAsync();
        var types = new Dictionary<BsonType, int>();
        var subtypes = new Dictionary<BsonBinarySubtype, int>();
        foreach (var bytes in set.Documents)
        {
            CountTypes(BsonCodec.Decode(bytes.Span), types, subtypes);
        }

        var missingTypes = Enum.GetValues<BsonType>().Where(t => !types.ContainsKey(t)).ToList();
        BsonBinarySubtype[] expectedSubtypes =
        [
            BsonBinarySubtype.Generic, BsonBinarySubtype.Function, BsonBinarySubtype.BinaryOld, BsonBinarySubtype.UuidLegacy,
            BsonBinarySubtype.Uuid, BsonBinarySubtype.Md5, BsonBinarySubtype.Encrypted, BsonBinarySubtype.Column,
            BsonBinarySubtype.Sensitive, BsonBinarySubtype.Vector, BsonBinarySubtype.UserDefined, (BsonBinarySubtype)0xFF,
        ];
        var missingSubtypes = expectedSubtypes.Where(s => !subtypes.ContainsKey(s)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", types.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(missingTypes.Count == 0, $"No js-bson document held a value of type {string.Join(", ", missingTypes)} ({fixture.Describe()}).");
        Assert.True(missingSubtypes.Count == 0, $"No js-bson document held a binary of subtype {string.Join(", ", missingSubtypes)} ({fixture.Describe()}).");
        Assert.All(types, p => Assert.True(p.Value >= 100, $"Only {p.Value} values of type {p.Key}."));
    }

    [Fact]
    public async Task OurEncodings_AreReencodedIdenticallyByJsBson_AndItsCanonicalExtendedJsonEqualsOurs()
    {
        var set = await GeneratedOrSkipAsync();
        var cancel = TestContext.Current.CancellationToken;

        // Ours to encode: every js-bson document as we decoded it, then our own random documents.
        var documents = new List<BsonDocument>(set.Documents.Count + OwnDocumentCount + 4);
        documents.AddRange(set.Documents.Select(d => BsonCodec.Decode(d.Span)));
        var generator = new InteropDocumentGenerator(fixture.Seed);
        documents.AddRange(generator.ShapeDocuments());
        for (var i = 0; i < OwnDocumentCount; i++)
        {
            documents.Add(generator.NextDocument());
        }

        var encoded = documents.Select(BsonCodec.ToBytes).ToList();
        var input = Path.Combine(fixture.WorkDirectory, "ours.bson");
        var output = Path.Combine(fixture.WorkDirectory, "js-reencoded.bson");
        var ejsonFile = Path.Combine(fixture.WorkDirectory, "js-canonical.jsonl");
        await File.WriteAllBytesAsync(input, BsonStream.Join(encoded), cancel);

        var watch = Stopwatch.StartNew();
        var reportText = await fixture.Oracle!.RunAsync(
            "bson-oracle.mjs", ["check", "--in", input, "--out", output, "--ejson", ejsonFile], JsBsonOracleFixture.NodeDeadline, cancel);
        TestContext.Current.TestOutputHelper?.WriteLine($"js-bson check of {encoded.Count} documents took {watch.Elapsed.TotalSeconds:0.0} s: {Clip(reportText.Trim(), 2000)}");

        using var report = JsonDocument.Parse(reportText);
        var jsErrors = report.RootElement.GetProperty("errors").GetInt32();
        Assert.True(jsErrors == 0, $"js-bson could not read {jsErrors} of our documents ({fixture.Describe()}): {Clip(reportText, 4000)}");

        var reencoded = BsonStream.Split(await File.ReadAllBytesAsync(output, cancel));
        var ejsonLines = await File.ReadAllLinesAsync(ejsonFile, Encoding.UTF8, cancel);
        Assert.Equal(encoded.Count, reencoded.Count);
        Assert.Equal(encoded.Count, ejsonLines.Length);

        var byteFailures = new List<string>();
        var jsonFailures = new List<string>();
        int bytesFailed = 0, jsonFailed = 0;
        for (var i = 0; i < encoded.Count; i++)
        {
            var origin = Origin(i, set.Documents.Count);
            if (BsonStream.FirstDifference(encoded[i], reencoded[i].Span) >= 0 && bytesFailed++ < MaxReported)
            {
                byteFailures.Add($"{origin}: " + BsonStream.DescribeDifference(i, "ours", encoded[i], "js-bson", reencoded[i].Span));
            }

            string ours;
            try
            {
                ours = ExtendedJson.Write(documents[i], ExtendedJsonMode.Canonical);
            }
            catch (Exception e) // compared (and so reported) like any other difference
            {
                ours = $"{{\"$writeError\": {JsonSerializer.Serialize(e.Message)}}}";
            }

            var difference = ExtendedJsonComparer.Difference(ejsonLines[i], ours);
            if (difference is not null && jsonFailed++ < MaxReported)
            {
                jsonFailures.Add($"document {i} ({origin}): {difference}");
            }
        }

        Assert.True(
            bytesFailed == 0 && jsonFailed == 0,
            $"Of {encoded.Count} documents we encoded ({fixture.Describe()}), js-bson re-encoded {bytesFailed} differently "
            + $"and its canonical Extended JSON differed from ours for {jsonFailed}.\n\n"
            + string.Join("\n\n", byteFailures.Concat(jsonFailures)));
    }

    private async Task<JsGeneratedSet> GeneratedOrSkipAsync()
    {
        if (fixture.Oracle is null)
        {
            Assert.Skip(fixture.Missing);
        }

        var set = await fixture.GetGeneratedAsync(TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{fixture.Describe()}; generation took {set.Elapsed.TotalSeconds:0.0} s: {Clip(set.Summary, 2000)}");
        return set;
    }

    private static string Origin(int i, int jsCount)
        => i < jsCount
            ? $"js-bson document {i.ToString(CultureInfo.InvariantCulture)} as we decoded it"
            : $"C#-generated document {(i - jsCount).ToString(CultureInfo.InvariantCulture)}";

    private static void CountTypes(BsonValue value, Dictionary<BsonType, int> types, Dictionary<BsonBinarySubtype, int> subtypes)
    {
        types[value.Type] = types.GetValueOrDefault(value.Type) + 1;
        switch (value)
        {
            case BsonDocument d:
                foreach (var e in d)
                {
                    CountTypes(e.Value, types, subtypes);
                }

                break;
            case BsonArray a:
                foreach (var v in a)
                {
                    CountTypes(v, types, subtypes);
                }

                break;
            case BsonJavaScriptWithScope j:
                CountTypes(j.Scope, types, subtypes);
                break;
            case BsonBinaryData b:
                subtypes[b.Subtype] = subtypes.GetValueOrDefault(b.Subtype) + 1;
                break;
        }
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "...";
}

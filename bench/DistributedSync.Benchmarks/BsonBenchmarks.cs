using BenchmarkDotNet.Attributes;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;

namespace DistributedSync.Benchmarks;

/// <summary>Encode and decode of the 1 KB and the 100 KB sample document.</summary>
[MemoryDiagnoser]
public class BsonBenchmarks
{
    private readonly PooledBufferWriter _output = new(256 * 1024);
    private BsonDocument _small = null!;
    private BsonDocument _large = null!;
    private byte[] _smallBytes = null!;
    private byte[] _largeBytes = null!;

    /// <summary>Builds the documents and their encodings.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _small = SampleDocuments.Order(1);
        _large = SampleDocuments.History();
        _smallBytes = BsonCodec.ToBytes(_small);
        _largeBytes = BsonCodec.ToBytes(_large);
    }

    /// <summary>Releases the pooled output buffer.</summary>
    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    /// <summary>Encodes the 1 KB document into a reused pooled buffer.</summary>
    [Benchmark]
    public int Encode1K()
    {
        _output.Clear();
        BsonCodec.Encode(_small, _output);
        return _output.WrittenCount;
    }

    /// <summary>Decodes the 1 KB document.</summary>
    [Benchmark]
    public BsonDocument Decode1K() => BsonCodec.Decode(_smallBytes);

    /// <summary>Encodes the 100 KB document into a reused pooled buffer.</summary>
    [Benchmark]
    public int Encode100K()
    {
        _output.Clear();
        BsonCodec.Encode(_large, _output);
        return _output.WrittenCount;
    }

    /// <summary>Decodes the 100 KB document.</summary>
    [Benchmark]
    public BsonDocument Decode100K() => BsonCodec.Decode(_largeBytes);
}

using BenchmarkDotNet.Attributes;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Wire;

namespace DistributedSync.Benchmarks;

/// <summary>OP_MSG framing of an insert of 1,000 documents (a kind-1 "documents" sequence).</summary>
[MemoryDiagnoser]
public class WireBenchmarks
{
    private readonly PooledBufferWriter _output = new(2 * 1024 * 1024);
    private List<BsonDocument> _batch = null!;
    private byte[] _frame = null!;

    /// <summary>Builds the batch and one encoded frame of it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _batch = SampleDocuments.InsertBatch();
        _frame = WireMessageCodec.ToBytes(SampleDocuments.CreateInsert(_batch));
    }

    /// <summary>Releases the pooled output buffer.</summary>
    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    /// <summary>Builds the insert message and encodes it, documents included, into a reused buffer.</summary>
    [Benchmark]
    public int EncodeInsert1000()
    {
        _output.Clear();
        return WireMessageCodec.Encode(SampleDocuments.CreateInsert(_batch), _output);
    }

    /// <summary>Decodes the framed insert, documents included.</summary>
    [Benchmark]
    public WireMessage DecodeInsert1000() => WireMessageCodec.Decode(_frame);
}

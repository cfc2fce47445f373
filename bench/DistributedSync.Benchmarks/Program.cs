using BenchmarkDotNet.Running;
using DistributedSync.Benchmarks;

// `--write-samples DIR` stores the sample documents as BSON (for bench/js/bson-bench.mjs);
// anything else is handed to BenchmarkDotNet (see bench/run-bson-bench.sh for the usual flags).
if (args.Length == 2 && args[0] == "--write-samples")
{
    SampleDocuments.WriteFiles(args[1]);
    Console.WriteLine($"Wrote {SampleDocuments.Small}, {SampleDocuments.Large}, {SampleDocuments.Batch} and {SampleDocuments.InsertFrame} to {Path.GetFullPath(args[1])}");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(BsonBenchmarks).Assembly).Run(args);
return 0;

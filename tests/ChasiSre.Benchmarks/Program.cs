using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ChasiSre.Benchmarks.ProtobufSerdeBenchmarks).Assembly).Run(args);

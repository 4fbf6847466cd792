using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace PerpGuard.Benchmarks;

/// <summary>
/// Entry point. Benchmarks run in process: BenchmarkDotNet 0.14 looks for a project named after the assembly
/// (PerpGuard.Benchmarks.csproj) to generate its child process, and this one is Benchmarks.csproj.
/// Each class fixes its own short job (about 15 s per micro benchmark, 1–2 min for the JSONL one); everything takes
/// a few minutes on two cores. Quick: <c>dotnet run -c Release --project tests/Benchmarks -- --filter '*Isolated*'</c>
/// runs one class, <c>-- --list flat</c> lists them, <c>-- --filter '*'</c> runs all.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace PerpGuard.Benchmarks;

/// <summary>
/// Entry point. Benchmarks run in process: BenchmarkDotNet 0.14 looks for a project named after the assembly
/// (PerpGuard.Benchmarks.csproj) to generate its child process, and this one is Benchmarks.csproj.
/// Quick runs use BenchmarkDotNet's own switches:
/// <c>dotnet run -c Release --project tests/Benchmarks -- --filter '*Isolated*'</c> for one class,
/// <c>-- --filter '*' --job dry</c> for a smoke run (one invocation each), <c>-- --list flat</c> to list them.
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

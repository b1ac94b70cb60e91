return args.FirstOrDefault() switch
{
    "kernel" => await Fabric.Bench.Kernel.KernelBench.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: fabric-bench kernel [--count N] [--rounds N] [--idle-seconds N]");
    return 2;
}

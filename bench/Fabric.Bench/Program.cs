return args.FirstOrDefault() switch
{
    "kernel" => await Fabric.Bench.Kernel.KernelBench.RunAsync(args[1..]),
    "bgp" => await Fabric.Bench.Bgp.BgpBench.RunAsync(args),
    "lb" => await Fabric.Bench.LoadBalancer.LbBench.RunAsync(args),
    "parse" => Fabric.Bench.Config.ParseBench.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: fabric-bench kernel [--count N] [--rounds N] [--idle-seconds N]\n       fabric-bench bgp [options: see bench/bgp/README.md]\n       fabric-bench lb [see bench/lb/README.md]\n       fabric-bench parse FILE [ROUNDS]");
    return 2;
}

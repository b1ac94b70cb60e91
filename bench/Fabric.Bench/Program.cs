if (args.Length > 0 && args[0] == "bgp") return await Fabric.Bench.Bgp.BgpBench.RunAsync(args);
return 0;

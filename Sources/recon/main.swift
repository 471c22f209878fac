import ReconCLI
ReconCLI.main()

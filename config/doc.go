// Package config reads nianbao.yaml: the database and archive paths, the
// crawl schedule and politeness settings, and the list of portals.
//
//	cfg, err := config.Load("nianbao.yaml")
//	if err != nil {
//		return err // a *config.Error naming file, line and key
//	}
//	for _, p := range cfg.Portals { ... }
//
// Loading applies [Default], then a strict decode in which unknown keys are
// errors, then [Config.Validate]. Libraries never see YAML: cmd/nianbao maps
// these structs onto crawler and warehouse options.
package config

/**
 * The pricer of before-it-ships estimates: core's pricer, given the overrides
 * the server prices spans with, so that an estimate and the production cost
 * it is compared with use the same price (API override, then config, then
 * catalogue). Until the server's prices are read it is the catalogue alone.
 */
import type { PricesInForce } from '@spanlens/core/api/prices';
import { createPricer, type Pricer } from '@spanlens/core/pricing';

export class EstimatePricer {
  private pricer: Pricer = createPricer({ customPrices: [] });
  private customPricesKey = '[]';
  private overridesKey = '[]';

  get current(): Pricer {
    return this.pricer;
  }

  /** Takes the server's prices; the pricer forgets its resolutions only when they changed. */
  use(prices: PricesInForce): void {
    const customPricesKey = JSON.stringify(prices.customPrices);
    const overridesKey = JSON.stringify(prices.overrides);
    if (customPricesKey !== this.customPricesKey) {
      // The config's prices are fixed when a pricer is made (a server reads
      // its config once, at start); they change here only when the API
      // answers for a server started with another config.
      this.pricer = createPricer({ customPrices: prices.customPrices, overrides: prices.overrides });
    } else if (overridesKey !== this.overridesKey) {
      this.pricer.setOverrides(prices.overrides);
    }
    this.customPricesKey = customPricesKey;
    this.overridesKey = overridesKey;
  }
}

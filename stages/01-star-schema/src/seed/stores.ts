import type { StoreSeed } from './seed-types.ts';

export const stores: StoreSeed[] = [
  { store_id: 'S01', name: 'Harbour Street', city: 'Bristol', region: 'West', channel: 'Retail', opened_date: '2019-04-01' },
  { store_id: 'S02', name: 'Market Square', city: 'Leeds', region: 'North', channel: 'Retail', opened_date: '2020-09-15' },
  { store_id: 'S03', name: 'Riverside', city: 'London', region: 'South', channel: 'Retail', opened_date: '2018-03-10' },
  { store_id: 'S04', name: 'Highland Outpost', city: 'Inverness', region: 'North', channel: 'Retail', opened_date: '2021-06-21' },
  { store_id: 'S05', name: 'Web Shop', city: 'Online', region: 'Online', channel: 'Online', opened_date: '2017-01-01' },
  { store_id: 'S06', name: 'Old Town', city: 'Norwich', region: 'East', channel: 'Retail', opened_date: '2022-02-02' },
  // Opened after the last sale in the seed: a dimension row with no facts yet.
  { store_id: 'S07', name: 'Airport Kiosk', city: 'Manchester', region: 'North', channel: 'Retail', opened_date: '2025-02-01' },
];

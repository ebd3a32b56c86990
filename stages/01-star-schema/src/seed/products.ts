import type { ProductSeed } from './seed-types.ts';

export const products: ProductSeed[] = [
  { product_id: 'P001', name: 'Trail Running Shoes', category: 'Footwear', brand: 'Stride', list_price: 89.99 },
  { product_id: 'P002', name: 'Leather Boots', category: 'Footwear', brand: 'Ridge', list_price: 149.5 },
  { product_id: 'P003', name: 'Canvas Sneakers', category: 'Footwear', brand: 'Stride', list_price: 45.0 },
  { product_id: 'P004', name: 'Rain Jacket', category: 'Outerwear', brand: 'Nimbus', list_price: 119.0 },
  { product_id: 'P005', name: 'Down Parka', category: 'Outerwear', brand: 'Nimbus', list_price: 229.0 },
  { product_id: 'P006', name: 'Fleece Pullover', category: 'Outerwear', brand: 'Ridge', list_price: 59.95 },
  { product_id: 'P007', name: 'Merino Socks (3-pack)', category: 'Accessories', brand: 'Woolly', list_price: 24.0 },
  { product_id: 'P008', name: 'Wool Beanie', category: 'Accessories', brand: 'Woolly', list_price: 19.5 },
  { product_id: 'P009', name: 'Daypack 20L', category: 'Bags', brand: 'Carry', list_price: 74.0 },
  { product_id: 'P010', name: 'Travel Duffel 40L', category: 'Bags', brand: 'Carry', list_price: 98.0 },
  { product_id: 'P011', name: 'Water Bottle', category: 'Accessories', brand: 'Hydra', list_price: 15.99 },
  { product_id: 'P012', name: 'Headlamp', category: 'Gear', brand: 'Lumen', list_price: 34.5 },
  { product_id: 'P013', name: 'Trekking Poles', category: 'Gear', brand: 'Ridge', list_price: 64.0 },
  { product_id: 'P014', name: 'Camp Stove', category: 'Gear', brand: 'Ember', list_price: 54.25 },
  { product_id: 'P015', name: 'Two-Person Tent', category: 'Gear', brand: 'Ember', list_price: 259.0 },
  { product_id: 'P016', name: 'Sun Hat', category: 'Accessories', brand: 'Nimbus', list_price: 27.0 },
];

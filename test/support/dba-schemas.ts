/**
 * A large schema per dialect written by hand as a DBA would (24 tables): the dialect's own type
 * spellings and shorthands, inline and table-level constraints, named and unnamed, foreign keys with
 * actions (composite and self-referencing ones), checks, defaults of every kind, expression and
 * partial indexes, comments, and a view. Used by the introspect → check → rebuild round trips.
 */
import type { TestDialect } from './databases.js'

const POSTGRESQL: string[] = [
  `CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled')`,
  `CREATE TYPE unused_mood AS ENUM ('happy', 'sad')`,
  `CREATE TABLE departments (
     id serial PRIMARY KEY,
     name character varying(100) NOT NULL UNIQUE,
     budget numeric(14,2) DEFAULT 0 CHECK (budget >= 0),
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `COMMENT ON TABLE departments IS 'Company departments'`,
  `CREATE TABLE employees (
     id serial PRIMARY KEY,
     department_id int4 REFERENCES departments (id) ON DELETE SET NULL,
     manager_id integer REFERENCES employees ON DELETE SET NULL,
     email varchar(255) NOT NULL,
     first_name varchar(50) NOT NULL,
     last_name varchar(50) NOT NULL,
     hired_on date NOT NULL DEFAULT CURRENT_DATE,
     salary numeric(10,2),
     active bool NOT NULL DEFAULT true,
     CONSTRAINT employees_email_uq UNIQUE (email),
     CONSTRAINT employees_salary_positive CHECK (salary IS NULL OR salary > 0)
   )`,
  `COMMENT ON COLUMN employees.email IS 'work address'`,
  `CREATE INDEX employees_name_idx ON employees (last_name, first_name)`,
  `CREATE INDEX employees_lower_email_idx ON employees (lower(email::text))`,
  `CREATE TABLE customers (
     id bigserial PRIMARY KEY,
     email text NOT NULL,
     full_name text,
     phone varchar(32),
     country char(2) DEFAULT 'FR',
     marketing_opt_in boolean DEFAULT false,
     created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
     deleted_at timestamptz
   )`,
  `CREATE UNIQUE INDEX customers_email_live_idx ON customers (lower(email)) WHERE deleted_at IS NULL`,
  `CREATE TABLE addresses (
     id serial PRIMARY KEY,
     customer_id int8 NOT NULL REFERENCES customers ON DELETE CASCADE,
     line1 text NOT NULL,
     line2 text,
     city varchar(100) NOT NULL,
     postcode varchar(16),
     is_default boolean NOT NULL DEFAULT 'f'
   )`,
  `CREATE INDEX addresses_customer_idx ON addresses (customer_id)`,
  `CREATE TABLE categories (
     id serial PRIMARY KEY,
     parent_id int REFERENCES categories (id) ON DELETE CASCADE,
     slug varchar(80) NOT NULL UNIQUE,
     title text NOT NULL DEFAULT ''::text
   )`,
  `CREATE TABLE suppliers (
     id serial PRIMARY KEY,
     name text NOT NULL,
     vat_number varchar(20) UNIQUE,
     rating smallint DEFAULT 3 CHECK (rating BETWEEN 1 AND 5)
   )`,
  `CREATE TABLE products (
     id serial PRIMARY KEY,
     supplier_id integer REFERENCES suppliers ON DELETE RESTRICT,
     sku varchar(32) NOT NULL,
     name varchar(200) NOT NULL,
     description text,
     price numeric(12,2) NOT NULL CHECK (price >= 0),
     weight_kg real,
     attributes jsonb DEFAULT '{}'::jsonb,
     tags text[],
     created_at timestamptz DEFAULT now(),
     CONSTRAINT products_sku_key UNIQUE (sku)
   )`,
  `COMMENT ON TABLE products IS 'Catalogue'`,
  `CREATE INDEX products_attributes_gin ON products USING gin (attributes)`,
  `CREATE INDEX products_name_idx ON products (name DESC)`,
  `CREATE TABLE product_categories (
     product_id int NOT NULL REFERENCES products ON DELETE CASCADE,
     category_id int NOT NULL REFERENCES categories ON DELETE CASCADE,
     position int DEFAULT 0,
     PRIMARY KEY (product_id, category_id)
   )`,
  `CREATE TABLE warehouses (
     code char(4) PRIMARY KEY,
     city text NOT NULL,
     capacity integer CHECK (capacity > 0)
   )`,
  `CREATE TABLE inventory (
     warehouse_code char(4) NOT NULL REFERENCES warehouses ON UPDATE CASCADE,
     product_id integer NOT NULL REFERENCES products,
     quantity integer NOT NULL DEFAULT 0,
     reserved integer NOT NULL DEFAULT 0,
     CONSTRAINT inventory_pk PRIMARY KEY (warehouse_code, product_id),
     CONSTRAINT inventory_reserved_ck CHECK (reserved <= quantity)
   )`,
  `CREATE TABLE coupons (
     code varchar(20) PRIMARY KEY,
     percent_off smallint NOT NULL CHECK (percent_off > 0 AND percent_off <= 100),
     valid_from date,
     valid_until date,
     CHECK (valid_until IS NULL OR valid_until >= valid_from)
   )`,
  `CREATE TABLE orders (
     id bigserial PRIMARY KEY,
     customer_id bigint NOT NULL REFERENCES customers (id),
     shipping_address_id integer REFERENCES addresses (id) ON DELETE SET NULL,
     status order_status NOT NULL DEFAULT 'new',
     placed_at timestamptz NOT NULL DEFAULT now(),
     total numeric(12,2) NOT NULL DEFAULT 0.00,
     note text DEFAULT 'n/a'::text
   )`,
  `CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at)`,
  `CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status IN ('new', 'paid')`,
  `CREATE TABLE order_items (
     order_id bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
     line_no smallint NOT NULL,
     product_id integer NOT NULL REFERENCES products,
     quantity integer NOT NULL CHECK (quantity > 0),
     unit_price numeric(12,2) NOT NULL,
     PRIMARY KEY (order_id, line_no)
   )`,
  `CREATE TABLE order_coupons (
     order_id bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
     coupon_code varchar(20) NOT NULL REFERENCES coupons ON UPDATE CASCADE ON DELETE RESTRICT,
     UNIQUE (order_id, coupon_code)
   )`,
  `CREATE TABLE payments (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     order_id bigint NOT NULL REFERENCES orders,
     amount numeric(12,2) NOT NULL,
     method varchar(20) NOT NULL DEFAULT 'card',
     paid_at timestamptz,
     CONSTRAINT payments_method_ck CHECK (method IN ('card', 'transfer', 'cash'))
   )`,
  `CREATE TABLE shipments (
     id serial PRIMARY KEY,
     order_id bigint NOT NULL,
     warehouse_code char(4) NOT NULL,
     tracking varchar(64),
     shipped_at timestamp(3),
     CONSTRAINT shipments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
     CONSTRAINT shipments_warehouse_fk FOREIGN KEY (warehouse_code) REFERENCES warehouses (code)
   )`,
  `CREATE TABLE invoices (
     id serial PRIMARY KEY,
     order_id bigint NOT NULL UNIQUE REFERENCES orders,
     number varchar(30) NOT NULL,
     issued_on date DEFAULT CURRENT_DATE,
     pdf bytea
   )`,
  `CREATE TABLE reviews (
     id serial PRIMARY KEY,
     product_id integer NOT NULL REFERENCES products ON DELETE CASCADE,
     customer_id bigint REFERENCES customers ON DELETE SET NULL,
     stars smallint NOT NULL,
     body text,
     created_at timestamptz DEFAULT CURRENT_TIMESTAMP,
     CONSTRAINT reviews_stars_range CHECK (stars >= 1 AND stars <= 5)
   )`,
  `CREATE TABLE carts (
     id serial PRIMARY KEY,
     customer_id bigint REFERENCES customers ON DELETE CASCADE,
     session_key uuid NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE cart_items (
     cart_id int NOT NULL REFERENCES carts ON DELETE CASCADE,
     product_id int NOT NULL REFERENCES products ON DELETE CASCADE,
     quantity int NOT NULL DEFAULT 1,
     PRIMARY KEY (cart_id, product_id)
   )`,
  `CREATE TABLE tags (
     id serial PRIMARY KEY,
     label varchar(40) NOT NULL
   )`,
  `CREATE UNIQUE INDEX tags_label_lower_idx ON tags (lower(label))`,
  `CREATE TABLE product_tags (
     product_id int NOT NULL,
     tag_id int NOT NULL,
     CONSTRAINT product_tags_pkey PRIMARY KEY (product_id, tag_id),
     CONSTRAINT product_tags_product_fk FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
     CONSTRAINT product_tags_tag_fk FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
   )`,
  `CREATE TABLE settings (
     key varchar(64) PRIMARY KEY,
     value jsonb NOT NULL,
     updated_at timestamp DEFAULT now()
   )`,
  `CREATE TABLE audit_log (
     id bigserial PRIMARY KEY,
     at timestamptz NOT NULL DEFAULT clock_timestamp(),
     actor_id int REFERENCES employees ON DELETE SET NULL,
     action text NOT NULL,
     client_ip inet,
     payload json
   )`,
  `CREATE INDEX audit_log_at_brin ON audit_log USING brin (at)`,
  `CREATE TABLE "Legacy Import" ("Row ID" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "Source File" text, imported boolean DEFAULT FALSE)`,
  `CREATE VIEW open_orders AS SELECT * FROM orders WHERE status IN ('new', 'paid')`,
]

const MYSQL: string[] = [
  `CREATE TABLE departments (
     id int(11) NOT NULL AUTO_INCREMENT,
     name varchar(100) NOT NULL,
     budget decimal(14,2) DEFAULT 0.00,
     created_at timestamp NOT NULL DEFAULT current_timestamp(),
     PRIMARY KEY (id),
     UNIQUE KEY name (name),
     CONSTRAINT departments_budget_ck CHECK (budget >= 0)
   ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='Company departments'`,
  `CREATE TABLE employees (
     id int(11) NOT NULL AUTO_INCREMENT,
     department_id int(11) DEFAULT NULL,
     manager_id int(11) DEFAULT NULL,
     email varchar(255) NOT NULL COMMENT 'work address',
     first_name varchar(50) NOT NULL,
     last_name varchar(50) NOT NULL,
     hired_on date NOT NULL,
     salary decimal(10,2) DEFAULT NULL,
     active tinyint(1) NOT NULL DEFAULT 1,
     PRIMARY KEY (id),
     UNIQUE KEY employees_email_uq (email),
     KEY employees_name_idx (last_name, first_name),
     KEY fk_employees_department (department_id),
     CONSTRAINT fk_employees_department FOREIGN KEY (department_id) REFERENCES departments (id) ON DELETE SET NULL,
     CONSTRAINT fk_employees_manager FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL,
     CONSTRAINT employees_salary_positive CHECK (salary IS NULL OR salary > 0)
   ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE customers (
     id bigint(20) unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
     email varchar(191) NOT NULL,
     full_name varchar(200) DEFAULT NULL,
     phone varchar(32),
     country char(2) DEFAULT 'FR',
     marketing_opt_in tinyint(1) DEFAULT 0,
     created_at datetime DEFAULT current_timestamp(),
     updated_at timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
     UNIQUE KEY customers_email (email)
   ) ENGINE=InnoDB`,
  `CREATE TABLE addresses (
     id int NOT NULL AUTO_INCREMENT,
     customer_id bigint(20) unsigned NOT NULL,
     line1 varchar(255) NOT NULL,
     line2 varchar(255),
     city varchar(100) NOT NULL,
     postcode varchar(16),
     is_default tinyint(1) NOT NULL DEFAULT 0,
     PRIMARY KEY (id),
     FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
   )`,
  `CREATE TABLE categories (
     id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
     parent_id int,
     slug varchar(80) NOT NULL,
     title varchar(200) NOT NULL DEFAULT '',
     UNIQUE (slug),
     CONSTRAINT categories_parent FOREIGN KEY (parent_id) REFERENCES categories (id) ON DELETE CASCADE
   )`,
  `CREATE TABLE suppliers (
     id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
     name varchar(200) NOT NULL,
     vat_number varchar(20) UNIQUE,
     rating smallint DEFAULT 3,
     CHECK (rating BETWEEN 1 AND 5)
   )`,
  `CREATE TABLE products (
     id int(11) NOT NULL AUTO_INCREMENT,
     supplier_id int(11) DEFAULT NULL,
     sku varchar(32) NOT NULL,
     name varchar(200) NOT NULL,
     description mediumtext,
     price decimal(12,2) NOT NULL,
     weight_kg float DEFAULT NULL,
     status enum('draft','active','retired') NOT NULL DEFAULT 'draft',
     flags set('new','sale','hidden') DEFAULT '',
     created_at datetime(3) DEFAULT current_timestamp(3),
     PRIMARY KEY (id),
     UNIQUE KEY sku (sku),
     KEY products_name_idx (name),
     KEY products_supplier (supplier_id),
     CONSTRAINT products_supplier FOREIGN KEY (supplier_id) REFERENCES suppliers (id),
     CONSTRAINT products_price_ck CHECK (price >= 0)
   ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='Catalogue'`,
  `CREATE TABLE product_categories (
     product_id int NOT NULL,
     category_id int NOT NULL,
     position int DEFAULT 0,
     PRIMARY KEY (product_id, category_id),
     KEY category_id (category_id),
     FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
     FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE CASCADE
   )`,
  `CREATE TABLE warehouses (
     code char(4) NOT NULL PRIMARY KEY,
     city varchar(100) NOT NULL,
     capacity int CHECK (capacity > 0)
   )`,
  `CREATE TABLE inventory (
     warehouse_code char(4) NOT NULL,
     product_id int NOT NULL,
     quantity int NOT NULL DEFAULT 0,
     reserved int NOT NULL DEFAULT 0,
     PRIMARY KEY (warehouse_code, product_id),
     CONSTRAINT inventory_warehouse FOREIGN KEY (warehouse_code) REFERENCES warehouses (code) ON UPDATE CASCADE,
     CONSTRAINT inventory_product FOREIGN KEY (product_id) REFERENCES products (id),
     CONSTRAINT inventory_reserved_ck CHECK (reserved <= quantity)
   )`,
  `CREATE TABLE coupons (
     code varchar(20) NOT NULL,
     percent_off smallint NOT NULL,
     valid_from date DEFAULT NULL,
     valid_until date DEFAULT NULL,
     PRIMARY KEY (code),
     CONSTRAINT coupons_percent CHECK (percent_off > 0 AND percent_off <= 100)
   )`,
  `CREATE TABLE orders (
     id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
     customer_id bigint(20) unsigned NOT NULL,
     shipping_address_id int DEFAULT NULL,
     status enum('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',
     placed_at datetime NOT NULL DEFAULT current_timestamp(),
     total decimal(12,2) NOT NULL DEFAULT 0.00,
     note text,
     PRIMARY KEY (id),
     KEY orders_customer_placed_idx (customer_id, placed_at),
     CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
     CONSTRAINT orders_address FOREIGN KEY (shipping_address_id) REFERENCES addresses (id) ON DELETE SET NULL
   )`,
  `CREATE TABLE order_items (
     order_id bigint(20) unsigned NOT NULL,
     line_no smallint NOT NULL,
     product_id int NOT NULL,
     quantity int NOT NULL,
     unit_price decimal(12,2) NOT NULL,
     PRIMARY KEY (order_id, line_no),
     FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
     FOREIGN KEY (product_id) REFERENCES products (id),
     CHECK (quantity > 0)
   )`,
  `CREATE TABLE order_coupons (
     order_id bigint(20) unsigned NOT NULL,
     coupon_code varchar(20) NOT NULL,
     UNIQUE KEY order_coupon (order_id, coupon_code),
     FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
     FOREIGN KEY (coupon_code) REFERENCES coupons (code) ON UPDATE CASCADE
   )`,
  `CREATE TABLE payments (
     id char(36) NOT NULL PRIMARY KEY,
     order_id bigint(20) unsigned NOT NULL,
     amount decimal(12,2) NOT NULL,
     method varchar(20) NOT NULL DEFAULT 'card',
     paid_at datetime DEFAULT NULL,
     CONSTRAINT payments_order FOREIGN KEY (order_id) REFERENCES orders (id),
     CONSTRAINT payments_method_ck CHECK (method IN ('card', 'transfer', 'cash'))
   )`,
  `CREATE TABLE shipments (
     id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
     order_id bigint(20) unsigned NOT NULL,
     warehouse_code char(4) NOT NULL,
     tracking varchar(64),
     shipped_at datetime(3),
     CONSTRAINT shipments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id),
     CONSTRAINT shipments_warehouse_fk FOREIGN KEY (warehouse_code) REFERENCES warehouses (code)
   )`,
  `CREATE TABLE invoices (
     id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
     order_id bigint(20) unsigned NOT NULL,
     number varchar(30) NOT NULL,
     issued_on date,
     pdf longblob,
     UNIQUE KEY invoices_order (order_id),
     FOREIGN KEY (order_id) REFERENCES orders (id)
   )`,
  `CREATE TABLE reviews (
     id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
     product_id int NOT NULL,
     customer_id bigint(20) unsigned DEFAULT NULL,
     stars tinyint NOT NULL,
     body text,
     created_at timestamp NULL DEFAULT NULL,
     KEY reviews_product_stars (product_id, stars),
     CONSTRAINT reviews_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
     CONSTRAINT reviews_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL,
     CONSTRAINT reviews_stars_range CHECK (stars >= 1 AND stars <= 5)
   )`,
  `CREATE TABLE carts (
     id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
     customer_id bigint(20) unsigned,
     session_key char(36) NOT NULL,
     updated_at timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
     FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
   )`,
  `CREATE TABLE cart_items (
     cart_id int NOT NULL,
     product_id int NOT NULL,
     quantity int NOT NULL DEFAULT 1,
     PRIMARY KEY (cart_id, product_id),
     FOREIGN KEY (cart_id) REFERENCES carts (id) ON DELETE CASCADE,
     FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
   )`,
  `CREATE TABLE tags (
     id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
     label varchar(40) NOT NULL,
     UNIQUE KEY tags_label (label)
   )`,
  `CREATE TABLE product_tags (
     product_id int NOT NULL,
     tag_id int NOT NULL,
     PRIMARY KEY (product_id, tag_id),
     KEY product_tags_tag (tag_id),
     CONSTRAINT product_tags_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
     CONSTRAINT product_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
   )`,
  // MySQL names indexes per table: the same name on two tables (WordPress's meta_key).
  `CREATE TABLE settings (
     \`key\` varchar(64) NOT NULL PRIMARY KEY,
     \`value\` json NOT NULL,
     updated_at datetime DEFAULT NULL,
     KEY changed_at (updated_at)
   )`,
  `CREATE TABLE audit_log (
     id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
     at datetime(6) NOT NULL DEFAULT current_timestamp(6),
     actor_id int(11),
     action varchar(100) NOT NULL,
     client_ip varbinary(16),
     payload longtext,
     KEY changed_at (at),
     FOREIGN KEY (actor_id) REFERENCES employees (id) ON DELETE SET NULL
   )`,
  'CREATE TABLE `Legacy Import` (`Row ID` int NOT NULL AUTO_INCREMENT PRIMARY KEY, `Source File` varchar(255), imported tinyint(1) DEFAULT 0)',
  `CREATE VIEW open_orders AS SELECT * FROM orders WHERE status IN ('new', 'paid')`,
]

const SQLITE: string[] = [
  `CREATE TABLE departments (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name VARCHAR(100) NOT NULL UNIQUE,
     budget NUMERIC(14,2) DEFAULT 0 CHECK (budget >= 0),
     created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
   )`,
  `CREATE TABLE employees (
     id INTEGER PRIMARY KEY,
     department_id INTEGER REFERENCES departments (id) ON DELETE SET NULL,
     manager_id INTEGER REFERENCES employees (id) ON DELETE SET NULL,
     email VARCHAR(255) NOT NULL,
     first_name VARCHAR(50) NOT NULL,
     last_name VARCHAR(50) NOT NULL,
     hired_on DATE NOT NULL DEFAULT (date('now')),
     salary NUMERIC(10,2),
     active BOOLEAN NOT NULL DEFAULT 1,
     CONSTRAINT employees_email_uq UNIQUE (email),
     CONSTRAINT employees_salary_positive CHECK (salary IS NULL OR salary > 0)
   )`,
  `CREATE INDEX employees_name_idx ON employees (last_name, first_name)`,
  `CREATE INDEX employees_lower_email_idx ON employees (lower(email))`,
  `CREATE TABLE customers (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     email TEXT NOT NULL COLLATE NOCASE,
     full_name TEXT,
     phone VARCHAR(32),
     country CHAR(2) DEFAULT 'FR',
     marketing_opt_in BOOLEAN DEFAULT 0,
     created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
     deleted_at TIMESTAMP
   )`,
  `CREATE UNIQUE INDEX customers_email_live_idx ON customers (email) WHERE deleted_at IS NULL`,
  `CREATE TABLE addresses (
     id INTEGER PRIMARY KEY,
     customer_id INTEGER NOT NULL REFERENCES customers ON DELETE CASCADE,
     line1 TEXT NOT NULL,
     line2 TEXT,
     city VARCHAR(100) NOT NULL,
     postcode VARCHAR(16),
     is_default BOOLEAN NOT NULL DEFAULT FALSE
   )`,
  `CREATE INDEX addresses_customer_idx ON addresses (customer_id)`,
  `CREATE TABLE categories (
     id INTEGER PRIMARY KEY,
     parent_id INTEGER REFERENCES categories (id) ON DELETE CASCADE,
     slug VARCHAR(80) NOT NULL UNIQUE,
     title TEXT NOT NULL DEFAULT ''
   )`,
  `CREATE TABLE suppliers (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL,
     vat_number VARCHAR(20) UNIQUE,
     rating SMALLINT DEFAULT 3 CHECK (rating BETWEEN 1 AND 5)
   )`,
  `CREATE TABLE products (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     supplier_id INTEGER,
     sku VARCHAR(32) NOT NULL,
     name VARCHAR(200) NOT NULL,
     description TEXT,
     price NUMERIC(12, 2) NOT NULL CHECK (price >= 0),
     weight_kg REAL,
     attributes JSON DEFAULT '{}',
     created_at DATETIME DEFAULT (datetime('now')),
     CONSTRAINT products_sku_key UNIQUE (sku),
     CONSTRAINT products_supplier_fk FOREIGN KEY (supplier_id) REFERENCES suppliers (id) ON DELETE RESTRICT
   )`,
  `CREATE INDEX products_name_idx ON products (name DESC)`,
  `CREATE TABLE product_categories (
     product_id INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
     category_id INTEGER NOT NULL REFERENCES categories ON DELETE CASCADE,
     position INT DEFAULT 0,
     PRIMARY KEY (product_id, category_id)
   )`,
  `CREATE TABLE warehouses (
     code CHAR(4) PRIMARY KEY,
     city TEXT NOT NULL,
     capacity INTEGER CHECK (capacity > 0)
   )`,
  `CREATE TABLE inventory (
     warehouse_code CHAR(4) NOT NULL REFERENCES warehouses ON UPDATE CASCADE,
     product_id INTEGER NOT NULL REFERENCES products,
     quantity INTEGER NOT NULL DEFAULT 0,
     reserved INTEGER NOT NULL DEFAULT 0,
     CONSTRAINT inventory_pk PRIMARY KEY (warehouse_code, product_id),
     CONSTRAINT inventory_reserved_ck CHECK (reserved <= quantity)
   )`,
  `CREATE TABLE coupons (
     code VARCHAR(20) PRIMARY KEY,
     percent_off SMALLINT NOT NULL CHECK (percent_off > 0 AND percent_off <= 100),
     valid_from DATE,
     valid_until DATE,
     CHECK (valid_until IS NULL OR valid_until >= valid_from)
   )`,
  `CREATE TABLE orders (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     customer_id INTEGER NOT NULL REFERENCES customers (id),
     shipping_address_id INTEGER REFERENCES addresses (id) ON DELETE SET NULL,
     status VARCHAR(9) NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
     placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
     total NUMERIC(12,2) NOT NULL DEFAULT 0.00,
     note TEXT DEFAULT 'n/a'
   )`,
  `CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at)`,
  `CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status IN ('new', 'paid')`,
  `CREATE TABLE order_items (
     order_id INTEGER NOT NULL REFERENCES orders ON DELETE CASCADE,
     line_no SMALLINT NOT NULL,
     product_id INTEGER NOT NULL REFERENCES products,
     quantity INTEGER NOT NULL CHECK (quantity > 0),
     unit_price NUMERIC(12,2) NOT NULL,
     PRIMARY KEY (order_id, line_no)
   )`,
  `CREATE TABLE order_coupons (
     order_id INTEGER NOT NULL REFERENCES orders ON DELETE CASCADE,
     coupon_code VARCHAR(20) NOT NULL REFERENCES coupons ON UPDATE CASCADE ON DELETE RESTRICT,
     UNIQUE (order_id, coupon_code)
   )`,
  `CREATE TABLE payments (
     id CHAR(36) PRIMARY KEY NOT NULL,
     order_id INTEGER NOT NULL REFERENCES orders,
     amount NUMERIC(12,2) NOT NULL,
     method VARCHAR(20) NOT NULL DEFAULT 'card',
     paid_at DATETIME,
     CONSTRAINT payments_method_ck CHECK (method IN ('card', 'transfer', 'cash'))
   )`,
  `CREATE TABLE shipments (
     id INTEGER PRIMARY KEY,
     order_id INTEGER NOT NULL,
     warehouse_code CHAR(4) NOT NULL,
     tracking VARCHAR(64),
     shipped_at DATETIME,
     CONSTRAINT shipments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
     CONSTRAINT shipments_warehouse_fk FOREIGN KEY (warehouse_code) REFERENCES warehouses (code)
   )`,
  `CREATE TABLE invoices (
     id INTEGER PRIMARY KEY,
     order_id INTEGER NOT NULL UNIQUE REFERENCES orders,
     number VARCHAR(30) NOT NULL,
     issued_on DATE DEFAULT CURRENT_DATE,
     pdf BLOB
   )`,
  `CREATE TABLE reviews (
     id INTEGER PRIMARY KEY,
     product_id INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
     customer_id INTEGER REFERENCES customers ON DELETE SET NULL,
     stars SMALLINT NOT NULL,
     body TEXT,
     created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
     CONSTRAINT reviews_stars_range CHECK (stars >= 1 AND stars <= 5)
   )`,
  `CREATE TABLE carts (
     id INTEGER PRIMARY KEY,
     customer_id INTEGER REFERENCES customers ON DELETE CASCADE,
     session_key CHAR(36) NOT NULL,
     updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
   )`,
  `CREATE TABLE cart_items (
     cart_id INTEGER NOT NULL REFERENCES carts ON DELETE CASCADE,
     product_id INTEGER NOT NULL REFERENCES products ON DELETE CASCADE,
     quantity INTEGER NOT NULL DEFAULT 1,
     PRIMARY KEY (cart_id, product_id)
   )`,
  `CREATE TABLE tags (
     id INTEGER PRIMARY KEY,
     label VARCHAR(40) NOT NULL
   )`,
  `CREATE UNIQUE INDEX tags_label_lower_idx ON tags (lower(label))`,
  `CREATE TABLE product_tags (
     product_id INTEGER NOT NULL,
     tag_id INTEGER NOT NULL,
     CONSTRAINT product_tags_pkey PRIMARY KEY (product_id, tag_id),
     CONSTRAINT product_tags_product_fk FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
     CONSTRAINT product_tags_tag_fk FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
   )`,
  `CREATE TABLE settings (
     "key" VARCHAR(64) PRIMARY KEY,
     "value" JSON NOT NULL,
     updated_at DATETIME
   )`,
  `CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
     actor_id INTEGER REFERENCES employees ON DELETE SET NULL,
     action TEXT NOT NULL,
     client_ip TEXT,
     payload TEXT
   )`,
  `CREATE INDEX audit_log_at ON audit_log (at)`,
  `CREATE TABLE "Legacy Import" ("Row ID" INTEGER PRIMARY KEY, "Source File" TEXT, imported BOOLEAN DEFAULT FALSE)`,
  `CREATE VIEW open_orders AS SELECT * FROM orders WHERE status IN ('new', 'paid')`,
]

export const DBA_SCHEMAS: Readonly<Record<TestDialect, readonly string[]>> = { postgresql: POSTGRESQL, mysql: MYSQL, sqlite: SQLITE }

/** The tables of `DBA_SCHEMAS` (every dialect has the same ones), sorted. */
export const DBA_TABLES: readonly string[] = [
  'Legacy Import',
  'addresses',
  'audit_log',
  'cart_items',
  'carts',
  'categories',
  'coupons',
  'customers',
  'departments',
  'employees',
  'inventory',
  'invoices',
  'order_coupons',
  'order_items',
  'orders',
  'payments',
  'product_categories',
  'product_tags',
  'products',
  'reviews',
  'settings',
  'shipments',
  'suppliers',
  'tags',
  'warehouses',
]

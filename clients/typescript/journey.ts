/**
 * A new product's way from an owner's registration to a buyer's inquiry, with the types
 * openapi-typescript generates from Kurasi's OpenAPI document and openapi-fetch's calls
 * (docs/clients.md). `make test` compiles it with `tsc --strict`; to walk it:
 *
 *     npx tsc && node build/journey.js http://127.0.0.1:8000   # a server from `make run`
 *
 * The owner registers; the curator, the admin and the buyer are the demo's accounts.
 */
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./kurasi.js";

type Schemas = components["schemas"];
type Api = Client<paths>;
type Bytes = Uint8Array<ArrayBuffer>;

const DEMO = {
  curator: ["curator@kurasi.example", "kurasi-curator-2026"],
  admin: ["admin@kurasi.example", "kurasi-admin-2026"],
  buyer: ["buyer@tokyo-trading.example", "kurasi-buyer-2026"],
} as const;

// Stand-ins with the right first bytes: a PDF header and a 1x1 PNG.
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);
const pdf = (what: string): Bytes => new TextEncoder().encode(`%PDF-1.4\n% ${what}\n`);

/** The typed answer, or the problem document the API sent instead, thrown. */
function ok<T>(
  answer: { data?: T; error?: Schemas["Problem"] | unknown; response: Response },
): T {
  if (answer.data === undefined) {
    throw new Error(`${answer.response.status}: ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

async function logIn(baseUrl: string, email: string, password: string): Promise<Api> {
  const anonymous = createClient<paths>({ baseUrl });
  const token = ok(
    await anonymous.POST("/api/v1/auth/token", {
      body: { username: email, password },
      bodySerializer: (form) => new URLSearchParams({ username: form.username, password: form.password }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  );
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token.access_token}` } });
}

/** The file to `upload.url`: every pair of `upload.fields`, then the file as `file`, with
 * no `Authorization` header: the signed fields authorize it. */
async function send(upload: Schemas["UploadOut"], name: string, bytes: Bytes, type: string) {
  const form = new FormData();
  for (const [key, value] of Object.entries(upload.fields)) form.append(key, value);
  form.append("file", new Blob([bytes], { type }), name);
  const answer = await fetch(upload.url, { method: "POST", body: form });
  if (!answer.ok) throw new Error(`upload: ${answer.status} ${await answer.text()}`);
}

export async function walk(baseUrl: string, accounts = DEMO): Promise<Schemas["InquiryOut"]> {
  const run = crypto.randomUUID().slice(0, 8);
  const day = (days: number): string =>
    new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const anonymous = createClient<paths>({ baseUrl });

  // An owner registers, logs in, and registers the business and a product.
  const email = `rina-${run}@kopi.example`;
  const password = "kopi-rina-2026-panen";
  const user = ok(
    await anonymous.POST("/api/v1/auth/register", {
      body: { email, password, full_name: "Rina", role: "msme_owner" },
    }),
  );
  const owner = await logIn(baseUrl, user.email, password);
  const msme = ok(
    await owner.POST("/api/v1/msmes", {
      body: {
        legal_name: "CV Kopi Rina",
        brand_name: "Kopi Rina",
        nib: String(parseInt(run, 16)).padStart(13, "0"),
        province: "Jawa Barat",
        city: "Bandung",
        address: "Jl. Braga 1",
        size_class: "micro",
      },
    }),
  );
  const coffee: Schemas["ProductCreate"] = {
    msme_id: msme.id,
    category: "coffee",
    hs_code: "090121",
    unit: "kg",
    name: { id: "Kopi Java Preanger", en: "Java Preanger coffee", ja: "ジャワ・プリアンガーコーヒー" },
    description: { id: "Kopi sangrai", en: "Roasted coffee" },
    specifications: [{ name: "Roast", value: "Medium" }],
    price: { amount: "250000.00", currency: "IDR" },
    incoterm: "FOB",
    port_of_loading: "Tanjung Priok",
    moq: 50,
    lead_time_days: 21,
    monthly_capacity: 1000,
    shelf_life_days: 365,
    packaging: "Valve bags in cartons",
    net_weight_g: 1000,
  };
  const product = ok(
    await owner.POST("/api/v1/products", {
      body: coffee,
      params: { header: { "Idempotency-Key": `p-${run}` } },
    }),
  );
  const productPath = { params: { path: { product_id: product.id } } };
  const readiness = ok(await owner.GET("/api/v1/products/{product_id}/readiness", productPath));
  const missing = readiness.requirements.filter((r) => !r.met);
  console.log("readiness", readiness.score, "missing:", ...missing.map((r) => r.code));

  // Each document it needs: declared, sent through the `upload` it answers, completed.
  const standards = ok(await anonymous.GET("/api/v1/standards"));
  for (const requirement of missing.filter((r) => r.kind === "document")) {
    const type = standards.document_types.find((t) => t.code === requirement.code);
    if (type === undefined) throw new Error(`unknown document type ${requirement.code}`);
    const bytes = pdf(`${type.code} of Kopi Rina`);
    const declared = {
      number: `${type.code}-${run}`,
      issuer: "Sucofindo",
      issued_on: day(-30),
      expires_on: type.expires ? day(730) : undefined,
      filename: `${type.code}.pdf`,
      content_type: "application/pdf",
      size: bytes.length,
    } as const;
    const started =
      type.scope === "msme"
        ? await owner.POST("/api/v1/msmes/{msme_id}/documents", {
            params: { path: { msme_id: msme.id } },
            body: { ...declared, doc_type: type.code as Schemas["MsmeDocumentType"] },
          })
        : await owner.POST("/api/v1/products/{product_id}/documents", {
            ...productPath,
            body: { ...declared, doc_type: type.code as Schemas["ProductDocumentType"] },
          });
    const { document, upload } = ok(started);
    await send(upload, declared.filename, bytes, declared.content_type);
    const completed = ok(
      await owner.POST("/api/v1/documents/{document_id}/complete", {
        params: { path: { document_id: document.id } },
      }),
    );
    console.log(type.code, completed.status);
  }
  const image = ok(
    await owner.POST("/api/v1/products/{product_id}/media", {
      ...productPath,
      body: { filename: "beans.png", content_type: "image/png", size: PNG.length, alt: "Roasted beans" },
    }),
  );
  await send(image.upload, "beans.png", PNG, "image/png");
  const media = ok(
    await owner.POST("/api/v1/media/{media_id}/complete", {
      params: { path: { media_id: image.media.id } },
    }),
  );
  console.log("image", media.status);
  const transition = "/api/v1/products/{product_id}/transitions";
  const submitted = ok(await owner.POST(transition, { ...productPath, body: { action: "submit" } }));
  console.log(submitted.status);

  // A curator takes the review, verifies the MSME and each document, and approves with
  // a result for every criterion of the category.
  const curator = await logIn(baseUrl, ...accounts.curator);
  ok(await curator.POST(transition, { ...productPath, body: { action: "start_review" } }));
  ok(
    await curator.POST("/api/v1/msmes/{msme_id}/verify", {
      params: { path: { msme_id: msme.id } },
      body: { verified: true },
    }),
  );
  const documents = [
    ...ok(await curator.GET("/api/v1/products/{product_id}", productPath)).documents,
    ...ok(await curator.GET("/api/v1/msmes/{msme_id}", { params: { path: { msme_id: msme.id } } }))
      .documents,
  ];
  for (const document of documents) {
    ok(
      await curator.POST("/api/v1/documents/{document_id}/verify", {
        params: { path: { document_id: document.id } },
        body: { status: "verified" },
      }),
    );
  }
  const category = standards.categories.find((c) => c.code === product.category);
  const checklist: Schemas["ChecklistItem"][] = (category?.criteria ?? []).map((c) => ({
    criterion: c.code,
    result: c.applies_when ? "not_applicable" : "pass",
  }));
  const approved = ok(
    await curator.POST(transition, {
      ...productPath,
      body: { action: "approve", score: 86, comment: "Ready for Tokyo.", checklist },
    }),
  );
  console.log(approved.status);

  // An admin publishes it in the Tokyo showroom; a buyer finds it in Japanese and asks.
  const admin = await logIn(baseUrl, ...accounts.admin);
  const listing = ok(
    await admin.POST("/api/v1/channels/{code}/listings", {
      params: { path: { code: "tokyo-msme-center" } },
      body: { product_id: product.id, booth: "A-12" },
    }),
  );
  console.log("listed in", listing.channel);
  const buyer = await logIn(baseUrl, ...accounts.buyer);
  const page = ok(
    await buyer.GET("/api/v1/catalog/products", { params: { query: { q: "preanger", lang: "ja" } } }),
  );
  const item = page.items.find((i) => i.id === product.id);
  if (item === undefined) throw new Error("the product is not in the catalog");
  console.log(item.name, item.price.amount, item.price.currency, "=", item.price_jpy?.amount, "JPY");
  const inquiry = ok(
    await buyer.POST("/api/v1/catalog/products/{product_id}/inquiries", {
      params: { path: { product_id: product.id }, header: { "Idempotency-Key": `i-${run}` } },
      body: {
        quantity: 200,
        message: "サンプルを送っていただけますか",
        incoterm: "CIF",
        destination_port: "Tokyo",
      },
    }),
  );
  console.log("inquiry", inquiry.status);
  return inquiry;
}

if (process.argv[1]?.endsWith("journey.js")) {
  await walk(process.argv[2] ?? "http://127.0.0.1:8000");
}
